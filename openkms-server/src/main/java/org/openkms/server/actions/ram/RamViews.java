package org.openkms.server.actions.ram;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openkms.core.iam.AccessKeyRecord;
import org.openkms.core.iam.Attachment;
import org.openkms.core.iam.PolicyRecord;
import org.openkms.core.iam.RamRole;
import org.openkms.core.iam.RamUser;
import org.openkms.server.gateway.Params;

/** RAM 2015-05-01 response shapes, field for field as the ram20150501 SDK models name them. */
final class RamViews {
    private RamViews() {}

    static String date(Instant t) {
        return t == null ? "" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static Map<String, Object> user(RamUser u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("UserId", u.userId());
        m.put("UserName", u.userName());
        m.put("DisplayName", u.displayName());
        m.put("Comments", u.comments());
        m.put("CreateDate", date(u.createDate()));
        m.put("UpdateDate", date(u.updateDate()));
        return m;
    }

    static Map<String, Object> accessKey(AccessKeyRecord k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AccessKeyId", k.accessKeyId());
        m.put("Status", k.status());
        m.put("CreateDate", date(k.creationDate()));
        return m;
    }

    static Map<String, Object> role(RamRole r, String uid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("RoleId", r.roleId());
        m.put("RoleName", r.roleName());
        m.put("Arn", r.arn(uid));
        m.put("Description", r.description());
        m.put("AssumeRolePolicyDocument", r.assumeRolePolicyDocument());
        m.put("MaxSessionDuration", r.maxSessionDuration());
        m.put("CreateDate", date(r.createDate()));
        m.put("UpdateDate", date(r.updateDate()));
        return m;
    }

    static Map<String, Object> policy(PolicyRecord p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("PolicyName", p.policyName());
        m.put("PolicyType", p.policyType());
        m.put("Description", p.description());
        m.put("DefaultVersion", "v1");
        m.put("CreateDate", date(p.createDate()));
        m.put("UpdateDate", date(p.updateDate()));
        return m;
    }

    static Map<String, Object> attached(Attachment a, PolicyRecord p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("PolicyName", a.policyName());
        m.put("PolicyType", a.policyType());
        m.put("Description", p == null ? "" : p.description());
        m.put("DefaultVersion", "v1");
        m.put("AttachDate", date(a.attachDate()));
        return m;
    }

    /**
     * RAM's Marker/MaxItems paging over a list sorted by name: the marker is the last name returned.
     * {@code "Users": {"User": [...]}, "IsTruncated": …, "Marker": …}.
     */
    static <T> Map<String, Object> page(
            Params p,
            List<T> all,
            Function<T, String> name,
            Function<T, Map<String, Object>> view,
            String listName,
            String itemName) {
        int max = p.integer("MaxItems", 100, 1, 1000);
        String marker = p.optional("Marker");
        List<T> rest = marker == null || marker.isEmpty()
                ? all
                : all.stream().filter(t -> name.apply(t).compareTo(marker) > 0).toList();
        List<T> page = rest.size() > max ? rest.subList(0, max) : rest;
        Map<String, Object> m = new LinkedHashMap<>();
        boolean truncated = rest.size() > max;
        m.put("IsTruncated", truncated);
        if (truncated) {
            m.put("Marker", name.apply(page.get(page.size() - 1)));
        }
        m.put(listName, Map.of(itemName, page.stream().map(view).toList()));
        return m;
    }
}
