package org.openkms.core.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.core.key.KeyRecord;
import org.openkms.core.key.KeyService;
import org.openkms.core.key.KeyState;
import org.openkms.core.secret.SecretService;
import org.openkms.core.store.Storage;
import org.openkms.core.tag.TagRecord;
import org.openkms.core.tag.Tags;

/**
 * Tags on keys and secrets. Both the single-resource API (TagResource, UntagResource,
 * ListResourceTags) and the batch API (TagResources, UntagResources, ListTagResources) land here.
 */
public final class TagService {
    public static final String KEY = "key";
    public static final String SECRET = "secret";
    public static final int MAX_TAGS_PER_RESOURCE = Tags.MAX_TAGS_PER_RESOURCE;
    public static final int PAGE_SIZE = 200;

    private final Storage storage;
    private final KeyService keys;
    private final SecretService secrets;

    public TagService(Storage storage, KeyService keys, SecretService secrets) {
        this.storage = storage;
        this.keys = keys;
        this.secrets = secrets;
    }

    /**
     * Validates tags as CreateKey, TagResource and TagResources must
     * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-tagresources).
     */
    public static void validate(Map<String, String> tags) {
        Tags.validate(tags);
    }

    public static void validateTagKey(String key) {
        Tags.validateTagKey(key);
    }

    /** The key ID of a taggable key; PendingDeletion keys reject tag changes. */
    public String taggableKey(String keyIdParam, boolean forChange) {
        KeyRecord k = keys.describeKey(keyIdParam);
        if (forChange && k.state() == KeyState.PendingDeletion) {
            throw Errors.pendingDeletion();
        }
        return k.keyId();
    }

    /** The name of a taggable secret; secrets pending deletion reject tag changes. */
    public String taggableSecret(String secretNameParam, boolean forChange) {
        return secrets.taggableSecret(secretNameParam, forChange);
    }

    /** The stored ID of a resource of either type (key ID for keys, name for secrets). */
    public String taggable(String resourceType, String idParam, boolean forChange) {
        return SECRET.equals(resourceType) ? taggableSecret(idParam, forChange) : taggableKey(idParam, forChange);
    }

    public void tag(String resourceType, String resourceId, Map<String, String> tags) {
        validate(tags);
        Map<String, String> merged = new LinkedHashMap<>(storage.tags().list(resourceType, resourceId));
        merged.putAll(tags);
        if (merged.size() > MAX_TAGS_PER_RESOURCE) {
            throw Errors.invalidParameter("Tags", "A resource can have at most " + MAX_TAGS_PER_RESOURCE + " tags.");
        }
        storage.tags().put(resourceType, resourceId, tags);
    }

    public void untag(String resourceType, String resourceId, Collection<String> tagKeys) {
        storage.tags().remove(resourceType, resourceId, tagKeys);
    }

    public void untagAll(String resourceType, String resourceId) {
        storage.tags().removeAll(resourceType, resourceId);
    }

    public Map<String, String> tagsOf(String resourceType, String resourceId) {
        return storage.tags().list(resourceType, resourceId);
    }

    /** A page of ListTagResources: rows matching the resource and tag filters, after {@code nextToken}. */
    public TagPage listTagResources(
            String resourceType, Collection<String> resourceIds, Map<String, String> tagFilter, String nextToken) {
        int start = 0;
        if (nextToken != null && !nextToken.isEmpty()) {
            try {
                start = Integer.parseInt(nextToken);
            } catch (NumberFormatException e) {
                throw Errors.invalidParameter("NextToken", "The token is not valid.");
            }
            if (start < 0) {
                throw Errors.invalidParameter("NextToken", "The token is not valid.");
            }
        }
        List<TagRecord> matching = new ArrayList<>();
        for (TagRecord t : storage.tags().listAll(resourceType)) {
            if (!resourceIds.isEmpty() && !resourceIds.contains(t.resourceId())) {
                continue;
            }
            if (!tagFilter.isEmpty() && !matchesFilter(t, tagFilter)) {
                continue;
            }
            matching.add(t);
        }
        int end = Math.min(matching.size(), start + PAGE_SIZE);
        List<TagRecord> page = start >= matching.size() ? List.of() : matching.subList(start, end);
        return new TagPage(page, end < matching.size() ? Integer.toString(end) : "");
    }

    private static boolean matchesFilter(TagRecord t, Map<String, String> filter) {
        if (!filter.containsKey(t.tagKey())) {
            return false;
        }
        String v = filter.get(t.tagKey());
        return v == null || v.isEmpty() || v.equals(t.tagValue());
    }

    public record TagPage(List<TagRecord> rows, String nextToken) {}
}
