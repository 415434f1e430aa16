package org.openkms.core.tag;

import java.util.Collection;
import java.util.List;
import java.util.Map;

public interface TagRepository {
    /** Adds tags, overwriting the value of a tag key that is already there. */
    void put(String resourceType, String resourceId, Map<String, String> tags);

    /** Removes the given tag keys; unknown keys are ignored. */
    void remove(String resourceType, String resourceId, Collection<String> tagKeys);

    void removeAll(String resourceType, String resourceId);

    /** Tags of one resource ordered by tag key. */
    Map<String, String> list(String resourceType, String resourceId);

    /** Every tag of a resource type, ordered by resource id then tag key. */
    List<TagRecord> listAll(String resourceType);
}
