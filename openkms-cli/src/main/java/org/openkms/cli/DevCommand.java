package org.openkms.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code openkms dev ...}: what only a dev server ({@code openkms server --dev}) answers. */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description = "Commands for a dev server (openkms server --dev)",
        subcommands = DevCommand.Clock.class)
final class DevCommand {
    /** The dev server's fixed administrator AccessKey (printed when it starts). */
    static final String DEV_ACCESS_KEY_ID = "LTAIOpenKmsDevRootKey00";

    static final String DEV_ACCESS_KEY_SECRET = "OpenKmsDevSecret0NotForProduction";
    static final String VERSION = "openkms-dev";

    @Command(
            name = "clock",
            mixinStandardHelpOptions = true,
            description = "Move the dev server's clock forward (e.g. +7d, +90s, +2h) and run what became due (key"
                    + " deletions and rotations, secret rotations); without an argument, print its time.")
    static final class Clock implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "+DURATION", description = "how far: +7d, +12h, +30m, +90s or PT1H")
        String duration;

        @Option(
                names = "--endpoint",
                description = "the dev server (default: $OPENKMS_ENDPOINT, else http://127.0.0.1:8080)")
        String endpoint;

        @Option(names = "--access-key-id", description = "default: the dev server's fixed administrator AccessKey")
        String accessKeyId;

        @Option(names = "--access-key-secret", description = "with --access-key-id")
        String accessKeySecret;

        private final Shortcuts.Io io;

        Clock(Shortcuts.Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            String url = Profile.first(endpoint, io.env().get("OPENKMS_ENDPOINT"), "http://127.0.0.1:8080");
            Profile p = new Profile(
                    "AK",
                    accessKeyId != null ? accessKeyId : DEV_ACCESS_KEY_ID,
                    accessKeySecret != null ? accessKeySecret : DEV_ACCESS_KEY_SECRET,
                    null,
                    null,
                    null,
                    Profile.DEFAULT_REGION,
                    "dev");
            KmsClient client = new KmsClient(KmsClient.Endpoint.parse(url), p, null, false);
            Map<String, String> params = new LinkedHashMap<>();
            Map<String, Object> answer;
            if (duration == null) {
                answer = client.call(VERSION, "GetClock", params);
            } else {
                params.put("Duration", duration);
                answer = client.call(VERSION, "AdvanceClock", params);
            }
            io.out().println(answer.get("Now"));
            return 0;
        }
    }
}
