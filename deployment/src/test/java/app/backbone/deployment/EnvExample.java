package app.backbone.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * .env.example: {@code NAME=value} lines are variables docker compose reads from .env; {@code # NAME=value} lines
 * document variables that compose sets itself. Each one sits under a comment saying what it is.
 */
final class EnvExample {

    private static final Pattern SETTABLE = Pattern.compile("^([A-Z][A-Z0-9_]*)=.*");
    private static final Pattern DOCUMENTED = Pattern.compile("^#?\\s*([A-Z][A-Z0-9_]*)=.*");

    private EnvExample() {
    }

    static List<String> lines() {
        return Project.read(Project.ROOT.resolve(".env.example")).lines().map(String::strip).toList();
    }

    /** Names with an active {@code NAME=} line. */
    static Set<String> settable() {
        Set<String> names = new TreeSet<>();
        for (String line : lines()) {
            Matcher m = SETTABLE.matcher(line);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Names with an active or commented-out {@code NAME=} line. */
    static Set<String> documented() {
        Set<String> names = new TreeSet<>();
        for (String line : lines()) {
            Matcher m = DOCUMENTED.matcher(line);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Variable lines whose previous line is not a comment explaining them. */
    static List<String> withoutComment() {
        List<String> lines = lines();
        List<String> bare = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = DOCUMENTED.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            String previous = i == 0 ? "" : lines.get(i - 1);
            boolean explained = previous.startsWith("#") && !DOCUMENTED.matcher(previous).matches()
                    && previous.replaceAll("[#\\s-]", "").length() > 0;
            if (!explained) {
                bare.add(m.group(1));
            }
        }
        return bare;
    }

    /** {@code NAME=value} lines of an env file, as compose reads them with {@code --env-file}. */
    static Map<String, String> values(Path file) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (String line : Project.read(file).lines().map(String::strip).toList()) {
            Matcher m = SETTABLE.matcher(line);
            if (m.matches()) {
                values.put(m.group(1), line.substring(line.indexOf('=') + 1));
            }
        }
        return values;
    }
}
