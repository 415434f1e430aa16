package org.openkms.conformance.docs;

import org.openkms.agent.AgentConfig;

/**
 * Reads an agent configuration as {@code ./openkms agent --config FILE} does, without starting the agent: run by
 * {@link DocumentedExamplesTest} in the example's workspace, so relative paths in it resolve as for a reader.
 */
public final class AgentConfigCheck {
    private AgentConfigCheck() {}

    public static void main(String[] args) {
        AgentConfig.fromArgs(args, System.getenv());
    }
}
