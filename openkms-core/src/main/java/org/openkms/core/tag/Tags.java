package org.openkms.core.tag;

import java.util.Map;
import org.openkms.core.error.Errors;

/**
 * The rules every tag obeys, whatever it is attached to (keys and secrets check them when created with tags, the
 * tag actions when tags are added): at most 20 per resource, keys and values of up to 128 characters from a small
 * alphabet, no key starting with {@code aliyun} or {@code acs:}.
 */
public final class Tags {
    public static final int MAX_TAGS_PER_RESOURCE = 20;

    private Tags() {}

    public static void validate(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS_PER_RESOURCE) {
            throw Errors.invalidParameter("Tags", "At most " + MAX_TAGS_PER_RESOURCE + " tags are allowed.");
        }
        for (Map.Entry<String, String> t : tags.entrySet()) {
            validateTagKey(t.getKey());
            validateText("TagValue", t.getValue(), true);
        }
    }

    public static void validateTagKey(String key) {
        validateText("TagKey", key, false);
        if (key.startsWith("aliyun") || key.startsWith("acs:")) {
            throw Errors.invalidParameter("TagKey", "Tag keys must not start with aliyun or acs:.");
        }
    }

    private static void validateText(String name, String s, boolean mayBeEmpty) {
        if (s == null || (!mayBeEmpty && s.isEmpty()) || s.length() > 128) {
            throw Errors.invalidParameter(name, "It must be " + (mayBeEmpty ? "0" : "1") + " to 128 characters.");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isLetterOrDigit(c) && "/\\_-.+=:@ ".indexOf(c) < 0) {
                throw Errors.invalidParameter(name, "Only letters, digits, spaces and / \\ _ - . + = : @ are allowed.");
            }
        }
    }
}
