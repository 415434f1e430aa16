package org.openkms.core.iam;

import java.time.Instant;

/** A RAM user of the account (RAM API 2015-05-01 shape). Its AccessKeys live with the other AccessKeys. */
public record RamUser(
        String userId, String userName, String displayName, String comments, Instant createDate, Instant updateDate) {}
