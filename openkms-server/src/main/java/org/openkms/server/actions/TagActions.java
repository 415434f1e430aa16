package org.openkms.server.actions;

import static org.openkms.server.actions.KmsFields.KEY_ID;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.core.service.TagService;
import org.openkms.core.tag.TagRecord;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.gateway.Operation;
import org.openkms.server.gateway.Params;
import org.openkms.server.iam.KmsResources;

/**
 * Tags (api-semantics.md §3.7, §7): the single-resource calls (TagResource, UntagResource, ListResourceTags)
 * and the batch calls (TagResources, UntagResources, ListTagResources), on keys and secrets.
 */
public final class TagActions {
    private TagActions() {}

    public static void register(ActionRegistry r) {
        r.register(Operation.named("TagResource")
                        .targets(KmsResources.taggedResource())
                        .handle(c -> {
                            Resource res = singleResource(c, true);
                            Map<String, String> tags = JsonParams.tags(c.params(), "Tags");
                            if (tags.isEmpty()) {
                                throw Errors.missingParameter("Tags");
                            }
                            c.kms().tags().tag(res.type(), res.id(), tags);
                            return Map.of();
                        }))
                .register(Operation.named("UntagResource")
                        .targets(KmsResources.taggedResource())
                        .handle(c -> {
                            Resource res = singleResource(c, true);
                            c.kms().tags().untag(res.type(), res.id(), JsonParams.stringArray(c.params(), "TagKeys"));
                            return Map.of();
                        }))
                .register(Operation.named("ListResourceTags")
                        .fields(KEY_ID)
                        .targets(KmsResources.taggedResource())
                        .handle(c -> {
                            String keyId = c.kms().tags().taggableKey(c.keyId(), false);
                            List<Object> tags = new ArrayList<>();
                            c.kms().tags().tagsOf(TagService.KEY, keyId).forEach((k, v) -> {
                                Map<String, Object> m = new LinkedHashMap<>();
                                m.put("KeyId", keyId);
                                m.put("TagKey", k);
                                m.put("TagValue", v);
                                tags.add(m);
                            });
                            return Map.of("Tags", Views.wrap("Tag", tags));
                        }))
                .register(Operation.named("TagResources")
                        .targets(KmsResources.taggedResources())
                        .handle(TagActions::tagResources))
                .register(Operation.named("UntagResources")
                        .targets(KmsResources.taggedResources())
                        .handle(TagActions::untagResources))
                .register(Operation.named("ListTagResources")
                        .targets(KmsResources.taggedResources())
                        .handle(TagActions::listTagResources));
    }

    private record Resource(String type, String id) {}

    /** Exactly one of KeyId, SecretName, CertificateId; certificates do not exist on this server. */
    private static Resource singleResource(Call c, boolean forChange) {
        Params p = c.params();
        int given = (present(p, "KeyId") ? 1 : 0)
                + (present(p, "SecretName") ? 1 : 0)
                + (present(p, "CertificateId") ? 1 : 0);
        if (given == 0) {
            throw Errors.missingParameter("KeyId");
        }
        if (given > 1) {
            throw Errors.invalidParameter("Exactly one of KeyId, SecretName and CertificateId must be given.");
        }
        if (present(p, "SecretName")) {
            String name = c.kms().tags().taggableSecret(p.optional("SecretName"), forChange);
            return new Resource(TagService.SECRET, name);
        }
        if (!present(p, "KeyId")) {
            throw Errors.resourceNotFound();
        }
        return new Resource(TagService.KEY, c.kms().tags().taggableKey(c.keyId(), forChange));
    }

    private static Map<String, Object> tagResources(Call c) {
        Params p = c.params();
        p.required("RegionId");
        String type = resourceType(p);
        List<String> ids = resourceIds(c);
        List<Map<String, String>> tagObjects = p.objectList("Tag");
        if (tagObjects.isEmpty()) {
            throw Errors.missingParameter("Tag.1.Key");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map<String, String> t : tagObjects) {
            String key = t.get("Key");
            if (key == null || key.isEmpty()) {
                throw Errors.missingParameter("Tag.N.Key");
            }
            tags.put(key, t.getOrDefault("Value", ""));
        }
        TagService.validate(tags);
        List<String> stored = taggableAll(c, type, ids);
        for (String id : stored) {
            c.kms().tags().tag(type, id, tags);
        }
        return Map.of();
    }

    /** Resolves every resource before any is changed, so a bad ID leaves nothing half-(un)tagged. */
    private static List<String> taggableAll(Call c, String type, List<String> ids) {
        List<String> stored = new ArrayList<>();
        for (String id : ids) {
            stored.add(c.kms().tags().taggable(type, id, true));
        }
        return stored;
    }

    private static Map<String, Object> untagResources(Call c) {
        Params p = c.params();
        p.required("RegionId");
        String type = resourceType(p);
        List<String> ids = resourceIds(c);
        List<String> tagKeys = p.list("TagKey");
        if (tagKeys.size() > 20) {
            throw Errors.invalidParameter("TagKey", "At most 20 tag keys are allowed.");
        }
        tagKeys.forEach(TagService::validateTagKey);
        boolean all = p.bool("All", false);
        if (tagKeys.isEmpty() && !all) {
            throw Errors.missingParameter("TagKey.1");
        }
        List<String> stored = taggableAll(c, type, ids);
        for (String id : stored) {
            if (tagKeys.isEmpty()) {
                c.kms().tags().untagAll(type, id);
            } else {
                c.kms().tags().untag(type, id, tagKeys);
            }
        }
        return Map.of();
    }

    private static Map<String, Object> listTagResources(Call c) {
        Params p = c.params();
        p.required("RegionId");
        String type = resourceType(p);
        List<String> requested = p.list("ResourceId");
        List<Map<String, String>> tagObjects = p.objectList("Tag");
        if (requested.size() > 50) {
            throw Errors.invalidParameter("ResourceId", "At most 50 resources are allowed.");
        }
        if (tagObjects.size() > 20) {
            throw Errors.invalidParameter("Tag", "At most 20 tags are allowed.");
        }
        List<String> ids = new ArrayList<>();
        for (String id : requested) {
            ids.add(type.equals(TagService.KEY) ? resolveOrKeep(c, id) : secretNameOrKeep(c, id));
        }
        Map<String, String> filter = new LinkedHashMap<>();
        for (Map<String, String> t : tagObjects) {
            if (t.get("Key") != null) {
                filter.put(t.get("Key"), t.getOrDefault("Value", ""));
            }
        }
        TagService.TagPage page = c.kms().tags().listTagResources(type, ids, filter, p.optional("NextToken"));
        List<Object> rows = new ArrayList<>();
        for (TagRecord t : page.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ResourceId", t.resourceId());
            m.put("ResourceType", t.resourceType());
            m.put("TagKey", t.tagKey());
            m.put("TagValue", t.tagValue());
            rows.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("TagResources", Views.wrap("TagResource", rows));
        out.put("NextToken", page.nextToken());
        return out;
    }

    private static List<String> resourceIds(Call c) {
        Params p = c.params();
        List<String> ids = p.list("ResourceId");
        if (ids.isEmpty()) {
            throw Errors.missingParameter("ResourceId.1");
        }
        if (ids.size() > 50) {
            throw Errors.invalidParameter("ResourceId", "At most 50 resources are allowed.");
        }
        return ids;
    }

    private static String resourceType(Params p) {
        String type = p.required("ResourceType").toLowerCase(java.util.Locale.ROOT);
        if (!type.equals(TagService.KEY) && !type.equals(TagService.SECRET)) {
            throw Errors.invalidParameter("ResourceType", "It must be key or secret.");
        }
        return type;
    }

    private static String resolveOrKeep(Call c, String id) {
        try {
            return c.kms().keys().describeKey(id).keyId();
        } catch (RuntimeException e) {
            return id;
        }
    }

    private static String secretNameOrKeep(Call c, String id) {
        try {
            return c.kms().secrets().resolveName(id);
        } catch (RuntimeException e) {
            return id;
        }
    }

    private static boolean present(Params p, String name) {
        String v = p.optional(name);
        return v != null && !v.isEmpty();
    }
}
