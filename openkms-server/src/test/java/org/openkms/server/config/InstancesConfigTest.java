package org.openkms.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Further KMS instances ({@code instances:}, {@code OPENKMS_INSTANCES}, {@code --instance}): read from each source,
 * and every mistake one line naming the option and the fix.
 */
class InstancesConfigTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path f = dir.resolve("openkms-" + System.nanoTime() + ".yaml");
        Files.writeString(f, text);
        return f;
    }

    private static String refusal(Runnable r) {
        try {
            r.run();
        } catch (ConfigException e) {
            assertThat(e.line()).startsWith("openkms: ").doesNotContain("\n").doesNotContain("Exception");
            return e.line();
        }
        throw new AssertionError("expected a ConfigException");
    }

    private static ServerConfig with(InstanceListener... instances) {
        return ServerConfig.defaults()
                .withDataDir(Path.of(System.getProperty("java.io.tmpdir"), "openkms-instances-config-test"))
                .withInstanceListen("127.0.0.1:8444")
                .withInstances(List.of(instances));
    }

    private static InstanceListener i(String name, String listen) {
        return new InstanceListener(name, listen, List.of());
    }

    @Test
    void noneByDefault() throws Exception {
        assertThat(ServerConfig.defaults().instances()).isEmpty();
        assertThat(ConfigLoader.load(yaml(""), Map.of()).instances()).isEmpty();
    }

    @Test
    void fromYamlThenEnvironment() throws Exception {
        Path f = yaml("""
                instances:
                  - { name: team-a, listen: 127.0.0.1:8445, names: [a.kms.example.internal, 10.0.0.7] }
                  - name: team_b
                    listen: "[::1]:8446"
                """);
        ServerConfig c = ConfigLoader.load(f, Map.of());
        assertThat(c.instances())
                .containsExactly(
                        new InstanceListener("team-a", "127.0.0.1:8445", List.of("a.kms.example.internal", "10.0.0.7")),
                        i("team_b", "[::1]:8446"));
        ConfigChecks.instances(c);
        // The environment replaces the file's list.
        assertThat(ConfigLoader.load(f, Map.of("OPENKMS_INSTANCES", "x=127.0.0.1:9001, y=127.0.0.1:9002"))
                        .instances())
                .containsExactly(i("x", "127.0.0.1:9001"), i("y", "127.0.0.1:9002"));
        assertThat(ConfigLoader.load(f, Map.of("OPENKMS_INSTANCES", "")).instances())
                .isEmpty();
    }

    @Test
    void yamlMistakesNameTheFileAndKey() throws Exception {
        Path notList = yaml("instances: team-a=127.0.0.1:8445\n");
        assertThat(refusal(() -> ConfigLoader.load(notList, Map.of())))
                .isEqualTo("openkms: --config " + notList + ": instances: expected a list of {name: <label>,"
                        + " listen: <host:port>, names: [..]}, e.g. [{name: team-a, listen: 127.0.0.1:8445}]");
        Path unknown = yaml("instances:\n  - { name: a, listen: 127.0.0.1:8445, port: 1 }\n");
        assertThat(refusal(() -> ConfigLoader.load(unknown, Map.of())))
                .isEqualTo("openkms: --config " + unknown + ": instances: item 1 has an unknown setting 'port'"
                        + " (an instance has name, listen and names)");
        Path noListen = yaml("instances:\n  - { name: a }\n");
        assertThat(refusal(() -> ConfigLoader.load(noListen, Map.of())))
                .contains("instances: item 1 needs both name and listen");
        Path badName = yaml("instances:\n  - { name: a, listen: 127.0.0.1:8445, names: [\"bad name\"] }\n");
        assertThat(refusal(() -> ConfigLoader.load(badName, Map.of())))
                .contains("'bad name' is not a DNS name or an IP address");
    }

    @Test
    void environmentMistakesNameTheVariable() {
        assertThat(refusal(() -> ConfigLoader.load(null, Map.of("OPENKMS_INSTANCES", "a:127.0.0.1:8445"))))
                .isEqualTo("openkms: OPENKMS_INSTANCES=a:127.0.0.1:8445: 'a:127.0.0.1:8445' is not NAME=HOST:PORT"
                        + " (use e.g. team-a=127.0.0.1:8445; several separated by commas)");
    }

    @Test
    void labelsMustBeValidAndUnique() {
        assertThat(refusal(() -> ConfigChecks.validate(with(i("team a", "127.0.0.1:8445")))))
                .isEqualTo("openkms: --instance team a=127.0.0.1:8445: the label must be 1 to 64 letters, digits,"
                        + " '-' or '_', starting with a letter or digit and not with kst- (e.g. team-a)");
        assertThat(refusal(() -> ConfigChecks.validate(with(i("kst-hzz1", "127.0.0.1:8445")))))
                .contains("not with kst-");
        assertThat(refusal(() -> ConfigChecks.validate(with(i("a", "127.0.0.1:8445"), i("a", "127.0.0.1:8446")))))
                .isEqualTo("openkms: --instance a=127.0.0.1:8446: the label a is given twice (give each instance"
                        + " one entry)");
    }

    @Test
    void addressesMustBeHostPortAndTheirOwn() {
        assertThat(refusal(() -> ConfigChecks.validate(with(i("a", "8445")))))
                .isEqualTo("openkms: --instance a=8445: must be host:port, e.g. a=127.0.0.1:8445 or a=0.0.0.0:8445");
        assertThat(refusal(() -> ConfigChecks.validate(with(i("a", "127.0.0.1:x")))))
                .isEqualTo("openkms: --instance a=127.0.0.1:x: the port must be a number from 0 to 65535 (0 picks a"
                        + " free one)");
        assertThat(refusal(() -> ConfigChecks.validate(with(i("a", "")))))
                .isEqualTo("openkms: --instance a=: needs a listen address, e.g. a=127.0.0.1:8445");
        assertThat(refusal(() -> ConfigChecks.validate(with(i("a", "127.0.0.1:8444")))))
                .isEqualTo("openkms: --instance a=127.0.0.1:8444: the address is also taken by --instance-listen"
                        + " 127.0.0.1:8444 (give each listener its own port)");
        assertThat(refusal(() -> ConfigChecks.validate(with(i("a", "0.0.0.0:8445"), i("b", "127.0.0.1:8445")))))
                .isEqualTo("openkms: --instance b=127.0.0.1:8445: the address is also taken by --instance"
                        + " a=0.0.0.0:8445 (give each listener its own port)");
        assertThat(refusal(() -> ConfigChecks.validate(with(i("a", "127.0.0.1:8443")))))
                .contains("also taken by --https-listen 127.0.0.1:8443");
        // Port 0 picks a free port at bind: never a clash; the same port on two addresses is two listeners.
        ConfigChecks.validate(with(i("a", "127.0.0.1:0"), i("b", "127.0.0.1:0")));
        ConfigChecks.validate(with(i("a", "127.0.0.1:8445"), i("b", "127.0.0.2:8445")));
    }
}
