package org.openkms.core.accesspoint;

import java.util.Map;

/**
 * Application access points, their permission policies, network rules and client keys, as JSON documents by
 * (kind, name). Read whole at start-up; the server keeps them in memory for evaluation.
 */
public interface AccessPointRepository {
    /** Inserts or replaces. */
    void put(String kind, String name, String document);

    boolean delete(String kind, String name);

    /** name → document, ordered by name. */
    Map<String, String> list(String kind);
}
