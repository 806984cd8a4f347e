/**
 * The session manager: {@link dev.bsm.core.BotoSesManager} owns one AWS session (credentials, region, endpoint) and
 * hands out cached, typed SDK clients; tells who it is; assumes roles ({@link dev.bsm.core.AssumeRoleOptions});
 * hands itself to the AWS CLI and child processes ({@link dev.bsm.core.AwsCliVariables},
 * {@link dev.bsm.core.AwsCliEnvironment}) and to files ({@link dev.bsm.core.TempSnapshot}, in the Python library's
 * snapshot format); and closes what it made.
 *
 * <p>Every error is a {@link dev.bsm.core.BsmException} subtype that names the problem and the fix, and no message,
 * {@code toString} or printed map shows a secret access key or session token. Everything else in this package is
 * package-private; {@code dev.bsm.core.internal} holds checks other bsm modules share and is not API.
 */
package dev.bsm.core;
