package dev.bsm.core;

/** What STS GetCallerIdentity says about the credentials; fetched once per manager. */
record CallerIdentity(String userId, String accountId, String arn) {
}
