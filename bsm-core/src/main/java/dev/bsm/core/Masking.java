package dev.bsm.core;

/**
 * The Python library's masking formulas, kept character for character so logs look the same in both worlds,
 * with guards where Python leaks short values or crashes on malformed ones.
 */
final class Masking {
    private Masking() {
    }

    /** {@code first4 + "***" + last4}; values of 8 characters or fewer would be shown whole, so they become "***". */
    static String maskUserId(String userId) {
        if (userId == null || userId.length() <= 8) {
            return "***";
        }
        return userId.substring(0, 4) + "***" + userId.substring(userId.length() - 4);
    }

    /** {@code first2 + 8 stars + last2}; values of 4 characters or fewer become 8 stars. */
    static String maskAccountId(String accountId) {
        if (accountId == null || accountId.length() <= 4) {
            return "********";
        }
        return accountId.substring(0, 2) + "********" + accountId.substring(accountId.length() - 2);
    }

    /** Masks the account field (the fifth {@code :}-separated part); a value that is not an ARN becomes "***". */
    static String maskPrincipalArn(String arn) {
        if (arn == null) {
            return "***";
        }
        String[] parts = arn.split(":", -1);
        if (parts.length < 5 || !"arn".equals(parts[0])) {
            return "***";
        }
        parts[4] = maskAccountId(parts[4]);
        return String.join(":", parts);
    }
}
