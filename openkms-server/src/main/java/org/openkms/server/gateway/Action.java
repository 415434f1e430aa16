package org.openkms.server.gateway;

import java.util.Map;

/** One API operation: takes a call, returns the response fields (RequestId is added by the gateway). */
@FunctionalInterface
public interface Action {
    Map<String, Object> handle(Call call);
}
