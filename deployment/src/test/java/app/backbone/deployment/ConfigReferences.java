package app.backbone.deployment;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's configuration says about environment variables, read from the code itself so the deployment
 * files are checked against whatever the services declare today.
 *
 * <p>A property value may reference {@code ${NAME}} (no default: required) or {@code ${NAME:default}} (optional),
 * nested as in {@code ${a.key:${NAME}}}. Only UPPER_SNAKE names are environment variables; lower-case dotted names
 * reference other properties.
 */
final class ConfigReferences {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern JAVA_EXPRESSION = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Pattern JAVA_GETENV = Pattern.compile("getenv\\(\\s*\"([A-Z][A-Z0-9_]*)\"\\s*\\)");

    /** One {@code ${name}} or {@code ${name:default}} occurrence. */
    record Reference(String name, boolean hasDefault) {
        boolean isEnvironmentVariable() {
            return ENV_NAME.matcher(name).matches();
        }
    }

    private ConfigReferences() {
    }

    /** Every expression in {@code value}, outer ones first, nested defaults included. */
    static List<Reference> parse(String value) {
        List<Reference> out = new ArrayList<>();
        parse(value, out);
        return out;
    }

    private static void parse(String s, List<Reference> out) {
        int i = 0;
        while ((i = s.indexOf("${", i)) >= 0) {
            int j = i + 2;
            while (j < s.length() && s.charAt(j) != ':' && s.charAt(j) != '}') {
                j++;
            }
            if (j >= s.length()) {
                return; // unterminated: not an expression
            }
            String name = s.substring(i + 2, j);
            if (s.charAt(j) == '}') {
                out.add(new Reference(name, false));
                i = j + 1;
                continue;
            }
            int depth = 1;
            int k = j + 1;
            while (k < s.length() && depth > 0) {
                if (s.startsWith("${", k)) {
                    depth++;
                    k += 2;
                    continue;
                }
                if (s.charAt(k) == '}') {
                    depth--;
                }
                k++;
            }
            out.add(new Reference(name, true));
            parse(s.substring(j + 1, depth == 0 ? k - 1 : k), out);
            i = k;
        }
    }

    /**
     * The properties that apply to a service, lowest priority first (a later file overrides an earlier one's key,
     * as application.properties overrides a dependency's microprofile-config.properties).
     */
    static Map<String, String> merged(List<Path> propertyFiles) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Path file : propertyFiles) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            properties.stringPropertyNames().forEach(key -> merged.put(key, properties.getProperty(key)));
        }
        return merged;
    }

    /**
     * Environment variables the production profile cannot start without: referenced without a default by a
     * {@code %prod.} property, or by an unprofiled property that no {@code %prod.} property overrides.
     */
    static Set<String> requiredInProduction(Map<String, String> properties) {
        Set<String> required = new TreeSet<>();
        properties.forEach((key, value) -> {
            boolean applies;
            if (key.startsWith("%")) {
                int dot = key.indexOf('.');
                applies = dot > 1 && Arrays.asList(key.substring(1, dot).split(",")).contains("prod");
            } else {
                applies = !properties.containsKey("%prod." + key);
            }
            if (applies) {
                parse(value).stream()
                        .filter(r -> !r.hasDefault() && r.isEnvironmentVariable())
                        .forEach(r -> required.add(r.name()));
            }
        });
        return required;
    }

    /** Every environment variable referenced by any property, in any profile, with or without a default. */
    static Set<String> referenced(Map<String, String> properties) {
        Set<String> names = new TreeSet<>();
        properties.values().forEach(value -> parse(value).stream()
                .filter(Reference::isEnvironmentVariable)
                .forEach(r -> names.add(r.name())));
        return names;
    }

    /** Environment variables named in Java sources: {@code "${NAME..."} expressions and {@code getenv("NAME")}. */
    static Set<String> referencedInJava(Path sourceRoot) {
        Set<String> names = new TreeSet<>();
        if (!Files.isDirectory(sourceRoot)) {
            return names;
        }
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                for (Pattern pattern : List.of(JAVA_EXPRESSION, JAVA_GETENV)) {
                    Matcher m = pattern.matcher(source);
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
