package org.openkms.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command that calls the server takes, named as in the aliyun CLI where it has them. */
final class ClientOptions {
    @Option(
            names = "--endpoint",
            description =
                    "server URL, or a bare host for https (default: $OPENKMS_ENDPOINT, else http://127.0.0.1:8080)")
    String endpoint;

    @Option(
            names = {"-p", "--profile"},
            description = "profile of ~/.aliyun/config.json (aliyun configure)")
    String profile;

    @Option(names = "--region", description = "region ID (default: the profile's, else cn-hangzhou)")
    String region;

    @Option(names = "--access-key-id", description = "AccessKey ID (with --access-key-secret)")
    String accessKeyId;

    @Option(names = "--access-key-secret", description = "AccessKey secret")
    String accessKeySecret;

    @Option(names = "--sts-token", description = "STS security token for temporary AccessKeys")
    String stsToken;

    @Option(names = "--ram-role-arn", description = "assume this RAM role (STS AssumeRole on the same endpoint)")
    String ramRoleArn;

    @Option(names = "--role-session-name", description = "session name for --ram-role-arn")
    String roleSessionName;

    @Option(names = "--config-path", description = "aliyun CLI configuration (default: ~/.aliyun/config.json)")
    Path configPath;

    @Option(
            names = "--data-dir",
            defaultValue = "./openkms-data",
            description =
                    "a local server's data dir: its root-credentials are the last resort (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--ca", description = "PEM file of the CA (or self-signed certificate) to trust for https")
    Path ca;

    @Option(names = "--insecure", description = "https: accept any server certificate")
    boolean insecure;

    KmsClient client(Map<String, String> env) {
        Profile p = Profile.resolve(
                new Profile.Flags(
                        profile,
                        accessKeyId,
                        accessKeySecret,
                        stsToken,
                        ramRoleArn,
                        roleSessionName,
                        region,
                        configPath,
                        dataDir),
                env);
        String url = Profile.first(endpoint, env.get("OPENKMS_ENDPOINT"), "http://127.0.0.1:8080");
        String caPem = null;
        if (ca != null) {
            try {
                caPem = Files.readString(ca);
            } catch (IOException e) {
                throw new CliException("--ca " + ca + ": cannot read it (" + e.getMessage() + ")");
            }
            if (!caPem.contains("-----BEGIN CERTIFICATE-----")) {
                throw new CliException("--ca " + ca + ": not a PEM certificate");
            }
        }
        return new KmsClient(KmsClient.Endpoint.parse(url), p, caPem, insecure);
    }
}
