package org.openkms.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code openkms kms <Action> --<Parameter> <value> …}: any KMS API action with its parameters by their API names,
 * exactly as {@code aliyun kms} takes them (https://www.alibabacloud.com/help/en/cli/command-line-interface).
 */
@Command(
        name = "kms",
        description = "Call any KMS API action: openkms kms <Action> --<Parameter> <value> ... (aliyun kms syntax)",
        mixinStandardHelpOptions = true)
final class KmsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    /** The action and its {@code --Name value} pairs; the CLI's own options are taken out first by picocli. */
    @Parameters(arity = "1..*", paramLabel = "<Action> [--Parameter value]...")
    List<String> words = new ArrayList<>();

    private final Map<String, String> env;
    private final PrintStream out;

    KmsCommand(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    @Override
    public Integer call() {
        String action = words.get(0);
        if (action.startsWith("-")) {
            throw new CliException("the action comes first: openkms kms <Action> --<Parameter> <value> ...");
        }
        Map<String, String> params = new LinkedHashMap<>();
        Output output = Output.json();
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("--") || w.length() < 3) {
                throw new CliException("unexpected '" + w + "': parameters are given as --<Name> <value>");
            }
            String name = w.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (name.equals("output")) {
                List<String> spec = new ArrayList<>();
                while (i + 1 < words.size() && !words.get(i + 1).startsWith("--")) {
                    spec.add(words.get(++i));
                }
                output = Output.parse(spec);
                continue;
            } else if (i + 1 < words.size()) {
                value = words.get(++i);
            } else {
                throw new CliException("--" + name + " needs a value");
            }
            if (params.put(name, value) != null) {
                throw new CliException("--" + name + " is given twice");
            }
        }
        out.println(output.render(client.client(env).call(action, params)));
        return 0;
    }
}
