package app.backbone.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;


import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every document the production overlay renders, checked strictly against the Kubernetes API model of a current
 * release (fabric8 kubernetes-model 8.0.0, Kubernetes 1.33): an unknown or misspelled field, or a value of the wrong
 * type, fails. The render is this test's own (no kustomize binary here): the base's resources, the overlay's own
 * resources, its strategic-merge patches (maps merged, lists of named items merged by name), namespace, images,
 * replicas and labels. No cluster is involved: admission rules (quota, PSA) are not checked.
 */
class KubernetesSchemaTest {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .build();

    private static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/Secret", io.fabric8.kubernetes.api.model.Secret.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
            Map.entry("batch/v1/Job", io.fabric8.kubernetes.api.model.batch.v1.Job.class),
            Map.entry("networking.k8s.io/v1/Ingress", io.fabric8.kubernetes.api.model.networking.v1.Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
            Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
                    io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class));

    @Test
    void everyDocumentOfTheProductionOverlayIsValidAgainstTheKubernetesApi() {
        List<JsonNode> rendered = render(Project.ROOT.resolve("k8s/overlays/production"));
        assertTrue(rendered.size() >= 20, "the overlay renders the whole set: " + rendered.size());
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : rendered) {
            problems.addAll(validate(doc));
        }
        assertEquals(List.of(), problems, "documents the Kubernetes API would reject");
    }

    /** The checker itself rejects what it must, so a passing run means something. */
    @Test
    void theCheckRejectsMisspelledFieldsAndWrongTypes() {
        assertFalse(validate(yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec: {replica: 2, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}
                """)).isEmpty(), "spec.replica (for replicas)");
        assertFalse(validate(yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec: {replicas: two, selector: {matchLabels: {a: b}}, template: {spec: {containers: [{name: c, image: i}]}}}
                """)).isEmpty(), "replicas: two");
        assertFalse(validate(yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: x}
                spec: {ports: [{port: 80, targetport: http}]}
                """)).isEmpty(), "ports[].targetport");
        assertFalse(validate(yaml("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: x}
                spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabel: {a: b}}}]}]}
                """)).isEmpty(), "matchLabel");
        assertFalse(validate(yaml("""
                apiVersion: apps/v1beta1
                kind: Deployment
                metadata: {name: x}
                """)).isEmpty(), "a removed API version");
        assertEquals(List.of(), validate(yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: x}
                spec: {ports: [{port: 80, targetPort: http}]}
                """)));
    }

    // ---- validation ----

    static List<String> validate(JsonNode doc) {
        String id = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        String where = id + " " + doc.path("metadata").path("name").asText();
        Class<?> type = KINDS.get(id);
        if (type == null) {
            return List.of(where + ": not a kind/apiVersion of this release that the set uses");
        }
        Object value;
        try {
            value = STRICT.treeToValue(doc, type);
        } catch (Exception e) {
            return List.of(where + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        List<String> problems = new ArrayList<>();
        unknownFields(value, where, problems, new IdentityHashMap<>());
        return problems;
    }

    /** fabric8's model keeps unknown fields in additionalProperties instead of failing: any there is a typo. */
    private static void unknownFields(Object value, String path, List<String> problems, IdentityHashMap<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems, seen));
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || !getter.getDeclaringClass().getName().startsWith("io.fabric8.")) {
                continue;
            }
            Object property;
            try {
                property = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (property instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            unknownFields(property, path + "." + name, problems, seen);
        }
    }

    // ---- the render ----

    static List<JsonNode> render(Path overlay) {
        JsonNode kustomization = Yaml.read(overlay.resolve("kustomization.yaml"));
        List<JsonNode> docs = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            docs.addAll(resources(overlay.resolve(resource.asText()).normalize()));
        }
        for (JsonNode patch : kustomization.path("patches")) {
            assertTrue(patch.has("path"), "only file patches are rendered here: " + patch);
            for (JsonNode doc : Yaml.readAll(overlay.resolve(patch.path("path").asText()))) {
                JsonNode target = docs.stream().filter(d -> sameObject(d, doc)).findFirst().orElse(null);
                assertNotNull(target, "the patch " + doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText()
                        + " has a target in the base");
                merge((ObjectNode) target, (ObjectNode) doc);
            }
        }
        String namespace = kustomization.path("namespace").asText(null);
        for (JsonNode doc : docs) {
            ObjectNode metadata = (ObjectNode) doc.path("metadata");
            if (namespace != null && !doc.path("kind").asText().equals("Namespace")) {
                metadata.put("namespace", namespace);
            }
            for (JsonNode replicas : kustomization.path("replicas")) {
                if (doc.path("kind").asText().equals("Deployment") && metadata.path("name").asText().equals(replicas.path("name").asText())) {
                    ((ObjectNode) doc.path("spec")).put("replicas", replicas.path("count").asInt());
                }
            }
            for (JsonNode containers : List.of(doc.at("/spec/template/spec/containers"),
                    doc.at("/spec/template/spec/initContainers"))) {
                for (JsonNode container : containers) {
                    String image = container.path("image").asText();
                    for (JsonNode rule : kustomization.path("images")) {
                        if (image.equals(rule.path("name").asText()) || image.startsWith(rule.path("name").asText() + ":")) {
                            String newName = rule.path("newName").asText(rule.path("name").asText());
                            String suffix = rule.has("digest") ? "@" + rule.path("digest").asText()
                                    : rule.has("newTag") ? ":" + rule.path("newTag").asText() : "";
                            ((ObjectNode) container).put("image", newName + suffix);
                        }
                    }
                }
            }
        }
        return docs;
    }

    private static List<JsonNode> resources(Path path) {
        if (Files.isRegularFile(path)) {
            return Yaml.readAll(path);
        }
        List<JsonNode> docs = new ArrayList<>();
        JsonNode kustomization = Yaml.read(path.resolve("kustomization.yaml"));
        for (JsonNode resource : kustomization.path("resources")) {
            docs.addAll(resources(path.resolve(resource.asText()).normalize()));
        }
        for (JsonNode pairs : kustomization.path("labels")) {
            for (JsonNode doc : docs) {
                addLabels((ObjectNode) doc.path("metadata"), pairs.path("pairs"));
                if (pairs.path("includeTemplates").asBoolean(false) && doc.at("/spec/template/metadata").isObject()) {
                    addLabels((ObjectNode) doc.at("/spec/template/metadata"), pairs.path("pairs"));
                }
            }
        }
        return docs;
    }

    private static void addLabels(ObjectNode metadata, JsonNode pairs) {
        ObjectNode labels = metadata.has("labels") ? (ObjectNode) metadata.get("labels") : metadata.putObject("labels");
        pairs.fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
    }

    private static boolean sameObject(JsonNode a, JsonNode b) {
        return a.path("kind").asText().equals(b.path("kind").asText())
                && a.path("metadata").path("name").asText().equals(b.path("metadata").path("name").asText());
    }

    /** Strategic merge, simplified: objects merge; lists whose items all have a name merge by name; others replace. */
    private static void merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode t && e.getValue() instanceof ObjectNode p) {
                merge(t, p);
            } else if (existing instanceof ArrayNode t && e.getValue() instanceof ArrayNode p && named(t) && named(p)) {
                for (JsonNode item : p) {
                    JsonNode match = null;
                    for (JsonNode candidate : t) {
                        if (candidate.path("name").asText().equals(item.path("name").asText())) {
                            match = candidate;
                        }
                    }
                    if (match != null) {
                        merge((ObjectNode) match, (ObjectNode) item);
                    } else {
                        t.add(item);
                    }
                }
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    private static boolean named(ArrayNode items) {
        for (JsonNode item : items) {
            if (!item.isObject() || !item.has("name")) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode yaml(String text) {
        try {
            return new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

}
