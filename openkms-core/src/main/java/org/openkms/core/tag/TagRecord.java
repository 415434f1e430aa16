package org.openkms.core.tag;

/** A tag on a resource. resourceType is "key" or "secret" (the values of TagResources' ResourceType). */
public record TagRecord(String resourceType, String resourceId, String tagKey, String tagValue) {}
