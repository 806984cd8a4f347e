package dev.bsm.core;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.profiles.ProfileFileLocation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One AWS session (credentials, region, endpoint) that hands out cached, typed SDK clients, tells who it is,
 * assumes roles, exports itself to the AWS CLI and to child processes, and closes everything it made.
 *
 * <pre>{@code
 * try (BotoSesManager bsm = BotoSesManager.builder().profileName("dev").region("us-east-1").build()) {
 *     S3Client s3 = bsm.client(S3Client.class);        // built once, then cached
 *     bsm.printWhoAmI();                               // masked account id, user id and ARN
 *     BotoSesManager deployer = bsm.assumeRole("arn:aws:iam::111122223333:role/deployer");
 * }
 * }</pre>
 *
 * <p>Thread-safe. Nothing is fetched from AWS until it is needed, and each thing is fetched once: one client per
 * type, one GetCallerIdentity, one ListAccountAliases. All clients share one HTTP client and one credentials
 * provider owned by the manager; {@link #close()} closes them. Nothing bsm prints or throws contains a secret
 * access key or session token.
 */
public final class BotoSesManager implements AutoCloseable {
    /** The environment variable naming the snapshot file that {@link #fromSnapshotFile()} reads. */
    public static final String SNAPSHOT_FILE_VARIABLE = "BSM_SNAPSHOT_FILE";

    /**
     * The system property naming the snapshot file that {@link #fromSnapshotFile()} reads when
     * {@value #SNAPSHOT_FILE_VARIABLE} is not set: what a build tool can pass to the test JVMs it forks
     * ({@code -Dbsm.snapshotFile=...} in Surefire's {@code argLine}, as bsm-maven-plugin does).
     */
    public static final String SNAPSHOT_FILE_PROPERTY = "bsm.snapshotFile";

    private final SessionSettings settings;
    private final AwsCredentialsProvider credentialsProvider;
    private final List<AutoCloseable> ownedResources;
    private final ConcurrentHashMap<Class<?>, Object> clients = new ConcurrentHashMap<>();
    /** Its own, or with {@link Builder#httpClientsOf} views of the lender's; closed with the manager. */
    private final Lazy<SdkHttpClient> ownedHttpClient = new Lazy<>(this::ownHttpClient);
    private final Lazy<SdkAsyncHttpClient> ownedAsyncHttpClient = new Lazy<>(this::ownAsyncHttpClient);
    /** API call timeouts and async retry delays of every client, instead of a thread pool per client. */
    private final ManagerScheduler scheduler;
    private final ClientFactory clientFactory;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Lazy<Optional<Region>> region = new Lazy<>(this::resolveRegion);
    private final Lazy<CallerIdentity> identity = new Lazy<>(this::fetchIdentity);
    private final Lazy<Optional<String>> accountAlias = new Lazy<>(this::fetchAccountAlias);

    BotoSesManager(SessionSettings settings, AwsCredentialsProvider credentialsProvider,
            List<AutoCloseable> ownedResources) {
        this(settings, credentialsProvider, ownedResources, new ManagerScheduler());
    }

    /** Owns what it is given: closes the resources in their order, then the scheduler. */
    BotoSesManager(SessionSettings settings, AwsCredentialsProvider credentialsProvider,
            List<AutoCloseable> ownedResources, ManagerScheduler scheduler) {
        this.settings = settings;
        this.credentialsProvider = credentialsProvider;
        this.ownedResources = List.copyOf(ownedResources);
        this.scheduler = scheduler;
        this.clientFactory = clientFactory(this::region);
    }

    /** Clients like this manager's (its HTTP client and scheduler too), in the given region. */
    ClientFactory clientFactory(Supplier<Region> clientRegion) {
        return clientFactory(clientRegion, () -> settings.httpClient().orElseGet(ownedHttpClient), scheduler);
    }

    /** Clients on this manager's credentials, endpoint and configuration, in the given region. */
    ClientFactory clientFactory(Supplier<Region> clientRegion, Supplier<SdkHttpClient> httpClient,
            ManagerScheduler clientScheduler) {
        return new ClientFactory(clientRegion, new SharedCredentialsProvider(credentialsProvider), settings.endpoint(),
                settings.overrideConfiguration(), new ExpiredCredentialsHint(this::expiration), httpClient,
                () -> settings.asyncHttpClient().orElseGet(ownedAsyncHttpClient), clientScheduler,
                settings.cborEnabled());
    }

    /** {@return a manager on the SDK's default credentials and region chains} */
    public static BotoSesManager create() {
        return builder().build();
    }

    /** {@return a builder; with nothing set it gives what {@link #create()} gives} */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------------------- clients

    /**
     * Returns the manager's client of the given type, building it on first use: any service client interface
     * of the AWS SDK ({@code S3Client.class}, {@code DynamoDbAsyncClient.class}, ...) or a presigner
     * ({@code S3Presigner.class}). One instance per type, also when many threads ask at once. Each gets the
     * manager's credentials, region, endpoint override (with S3 path-style addressing) and override
     * configuration. Do not close the clients yourself: {@link #clearCache()} and {@link #close()} do.
     *
     * @param type a generated client or presigner interface
     * @param <T> the client type
     * @return the cached client
     * @throws InvalidConfigurationException when the type is not an SDK client or presigner interface
     * @throws IllegalStateException when the manager is closed
     */
    public <T> T client(Class<T> type) {
        Object cached = clients.get(Objects.requireNonNull(type, "type"));
        if (cached != null) {
            return type.cast(cached);
        }
        ensureOpen();
        ClientFactory.checkSupported(type);
        Object client = clients.computeIfAbsent(type, clientFactory::build);
        if (closed.get()) {
            // close() ran while this client was being built: do not hand out a client nobody will close.
            clients.remove(type, client);
            ClientFactory.close(client);
            // The build may have created the shared HTTP clients after close() looked at them.
            ownedHttpClient.ifBuilt().ifPresent(SdkAutoCloseable::close);
            ownedAsyncHttpClient.ifBuilt().ifPresent(SdkAutoCloseable::close);
            ensureOpen();
        }
        return type.cast(client);
    }

    // ---------------------------------------------------------------------------------------------- identity

    /**
     * {@return the AWS account id of the credentials: one STS GetCallerIdentity per manager, or none when the
     * builder was told the account ({@link Builder#accountId(String)})}
     */
    public String awsAccountId() {
        return settings.accountId().orElseGet(() -> identity().accountId());
    }

    /** {@return the unique id of the calling user or role session, from GetCallerIdentity} */
    public String awsAccountUserId() {
        return identity().userId();
    }

    /** {@return the ARN of the calling principal, from GetCallerIdentity} */
    public String principalArn() {
        return identity().arn();
    }

    /**
     * {@return the session's region id}
     *
     * @throws NoRegionException when no region is configured anywhere
     */
    public String awsRegion() {
        return region().id();
    }

    /**
     * {@return the account alias from IAM ListAccountAliases (looked up once), or empty when the account has none}
     */
    public Optional<String> awsAccountAlias() {
        return accountAlias.get();
    }

    private Optional<String> fetchAccountAlias() {
        // An account has at most one alias.
        return client(IamClient.class).listAccountAliases().accountAliases().stream().findFirst();
    }

    /** {@return the account id as {@code 12********12}, safe for logs (Python's formula)} */
    public String maskedAwsAccountId() {
        return Masking.maskAccountId(awsAccountId());
    }

    /** {@return the user id as {@code AIDA***MNOP}, safe for logs (Python's formula)} */
    public String maskedAwsAccountUserId() {
        return Masking.maskUserId(awsAccountUserId());
    }

    /** {@return the principal ARN with its account id masked, safe for logs (Python's formula)} */
    public String maskedPrincipalArn() {
        return Masking.maskPrincipalArn(principalArn());
    }

    /**
     * The five lines of the Python library's {@code print_who_am_i}: user id, account id, principal ARN, account
     * alias ({@code None} when there is none) and region ({@code None} when there is none).
     *
     * @param masked whether to mask the user id, account id and ARN
     * @return the lines, separated by {@code \n}
     */
    public String whoAmI(boolean masked) {
        CallerIdentity id = identity();
        return String.join("\n",
                "User Id = " + (masked ? Masking.maskUserId(id.userId()) : id.userId()),
                "AWS Account Id = " + (masked ? Masking.maskAccountId(awsAccountId()) : awsAccountId()),
                "Principal Arn = " + (masked ? Masking.maskPrincipalArn(id.arn()) : id.arn()),
                "AWS Account Alias = " + awsAccountAlias().orElse("None"),
                "AWS Region = " + optionalRegion().map(Region::id).orElse("None"));
    }

    /** Prints {@link #whoAmI(boolean) whoAmI(true)} to standard output. */
    public void printWhoAmI() {
        printWhoAmI(true);
    }

    /**
     * Prints who this session is.
     *
     * @param masked whether to mask; prints {@link #whoAmI(boolean)} to standard output
     */
    public void printWhoAmI(boolean masked) {
        System.out.println(whoAmI(masked));
    }

    private CallerIdentity identity() {
        return identity.get();
    }

    private CallerIdentity fetchIdentity() {
        GetCallerIdentityResponse response = client(StsClient.class).getCallerIdentity();
        return new CallerIdentity(response.userId(), response.account(), response.arn());
    }

    // ---------------------------------------------------------------------------------------------- assume role

    /**
     * Assumes a role with a unique session name for one hour; see {@link #assumeRole(String, Consumer)}.
     *
     * @param roleArn the role to assume
     * @return a new manager on the role's credentials
     */
    public BotoSesManager assumeRole(String roleArn) {
        return assumeRole(roleArn, options -> {
        });
    }

    /**
     * Assumes a role and returns a new manager on its credentials, with this manager's region (unless
     * {@code options.region} says otherwise), endpoint and override configuration. The role ARN and every
     * option are checked before any network call.
     *
     * <p>One-shot (the default): one AssumeRole call through this manager's STS client; the new manager's
     * {@link #expiration()} is the one STS gave. With {@code autoRefresh(true)} the new manager uses the SDK's
     * {@code StsAssumeRoleCredentialsProvider}, which fetches new credentials {@code refreshWindow} before they
     * expire, through an STS client the new manager owns and closes; the first credentials are fetched now, so
     * a bad role fails here. It signs its refresh calls with this manager's credentials: keep this manager open
     * while the new one is in use.
     *
     * @param roleArn the role to assume, e.g. {@code arn:aws:iam::111122223333:role/deployer}
     * @param options session name, duration, tags, external id, MFA, session policies, region, auto-refresh
     * @return a new manager, to be closed by the caller
     * @throws InvalidConfigurationException when the role ARN or an option is not valid
     */
    public BotoSesManager assumeRole(String roleArn, Consumer<AssumeRoleOptions.Builder> options) {
        Validation.roleArn(roleArn);
        AssumeRoleOptions assumeOptions = AssumeRoleOptions.of(options);
        ensureOpen();
        return new RoleAssumer(this, roleArn, assumeOptions).assume();
    }

    // ---------------------------------------------------------------------------------------------- expiry

    /**
     * {@return when the current credentials expire; empty for credentials without an expiry (long-term keys)}
     *
     * @throws NoCredentialsException when no credentials can be found
     * @throws CredentialsNetworkException when a profile's credentials cannot be fetched over the network
     */
    public Optional<Instant> expiration() {
        return resolveCredentials().expirationTime();
    }

    /** {@return whether the credentials have expired; credentials without an expiry never do} */
    public boolean isExpired() {
        return isExpired(Duration.ZERO);
    }

    /**
     * Tells whether the credentials expire within {@code delta}.
     *
     * @param delta how far ahead to look; may be negative
     * @return whether {@code now + delta >= expiration}; false for credentials without an expiry
     */
    public boolean isExpired(Duration delta) {
        return isExpired(delta, Instant.now());
    }

    boolean isExpired(Duration delta, Instant now) {
        Instant at = now.plus(Objects.requireNonNull(delta, "delta"));
        return expiration().map(expiration -> !at.isBefore(expiration)).orElse(false);
    }

    // ---------------------------------------------------------------------------------------------- AWS CLI

    /**
     * The environment variables that hand this session to the AWS CLI or another child process, as the Python
     * library's {@code awscli()} sets them: access key, secret key and session token (removed when there is
     * none), or {@code AWS_PROFILE} for a profile manager (keys removed); {@code AWS_REGION} and
     * {@code AWS_DEFAULT_REGION} (removed when there is no region); {@code AWS_ENDPOINT_URL}, the endpoint
     * override (removed when there is none, so the session's keys never go to an endpoint set for another one);
     * {@code CBOR_ENABLED}, only for a manager built with {@link Builder#cborEnabled(boolean)}. Changes no global
     * state.
     *
     * @return the variables
     * @throws NoCredentialsException when no credentials can be found
     */
    public AwsCliVariables awscliVariables() {
        return SessionCliVariables.of(settings, this::resolveCredentials, this::optionalRegion);
    }

    /**
     * Puts {@link #awscliVariables()} into the running JVM's environment and the SDK's {@code aws.*} system
     * properties until the returned block is closed; see {@link AwsCliEnvironment}.
     *
     * @return the open block; close it with try-with-resources
     * @throws EnvironmentAccessException when the JVM forbids changing its environment (names the flags)
     */
    public AwsCliEnvironment awscli() {
        return AwsCliEnvironment.open(awscliVariables());
    }

    // ---------------------------------------------------------------------------------------------- snapshots

    /**
     * The Python library's snapshot: {@code region_name} (null when there is no region, as Python writes it),
     * {@code aws_access_key_id}, {@code aws_secret_access_key} and {@code aws_session_token} (only when there is
     * one), in that order, as {@code String}s, exactly the values the JSON snapshot file holds. It holds secrets: its
     * {@code toString} shows the keys and a fingerprint of each value ({@code <hidden:1a2b3c4d>}, equal for equal
     * values), never a value, and so do AssertJ's failure messages about it ({@link SecretHidingRepresentation}).
     *
     * <p>The values themselves are plain {@code String}s, and a library that prints a {@code String} prints the
     * secret. Safe: printing the map, its entry set or an entry (logs, JUnit's {@code assertEquals} and Hamcrest's
     * {@code equalTo}/{@code hasEntry} on the map), and AssertJ assertions. Not safe: JUnit or Hamcrest given a value
     * ({@code assertEquals(expected, snapshot.get("aws_secret_access_key"))}), the {@code values()} view
     * ({@code assertIterableEquals}, Hamcrest's {@code hasItem}), or a copy ({@code new HashMap<>(snapshot)},
     * {@code List.copyOf(snapshot.values())}); compare those without printing
     * ({@code assertTrue(expected.equals(actual), "the secret key differs")}) or with AssertJ.
     *
     * @return an unmodifiable snapshot of the current credentials
     * @throws NoCredentialsException when no credentials can be found
     */
    public Map<String, String> toSnapshot() {
        AwsCredentials credentials = resolveCredentials();
        Map<String, String> snapshot = new LinkedHashMap<>();
        snapshot.put(SnapshotCodec.REGION_NAME, optionalRegion().map(Region::id).orElse(null));
        snapshot.put(SnapshotCodec.ACCESS_KEY_ID, credentials.accessKeyId());
        snapshot.put(SnapshotCodec.SECRET_ACCESS_KEY, credentials.secretAccessKey());
        sessionToken(credentials).ifPresent(token -> snapshot.put(SnapshotCodec.SESSION_TOKEN, token));
        return new SecretSafeMap<>(snapshot);
    }

    /**
     * A manager on the credentials and region of a snapshot, in the Python library's format.
     *
     * @param snapshot {@code aws_access_key_id}, {@code aws_secret_access_key}, optionally {@code region_name}
     *     and {@code aws_session_token} (null values count as absent)
     * @return a new manager
     * @throws InvalidSnapshotException when a key is missing, unknown or not a string, or a value holds a
     *     character no environment can carry (NUL, a lone surrogate); the message never shows a key or value
     */
    public static BotoSesManager fromSnapshot(Map<String, ?> snapshot) {
        return fromSnapshotValues(SnapshotCodec.validate(null, snapshot));
    }

    /** A manager on checked snapshot values, through the builder and so through its checks too. */
    private static BotoSesManager fromSnapshotValues(Map<String, String> values) {
        Builder builder = builder();
        String token = values.get(SnapshotCodec.SESSION_TOKEN);
        if (token == null) {
            builder.credentials(values.get(SnapshotCodec.ACCESS_KEY_ID), values.get(SnapshotCodec.SECRET_ACCESS_KEY));
        } else {
            builder.credentials(values.get(SnapshotCodec.ACCESS_KEY_ID), values.get(SnapshotCodec.SECRET_ACCESS_KEY),
                    token);
        }
        Optional.ofNullable(values.get(SnapshotCodec.REGION_NAME)).ifPresent(builder::region);
        return builder.build();
    }

    /**
     * Writes {@link #toSnapshot()} to {@link #defaultSnapshotPath()} until the returned object is closed.
     *
     * @return the open snapshot; close it with try-with-resources
     */
    public TempSnapshot tempSnapshot() {
        return tempSnapshot(defaultSnapshotPath());
    }

    /**
     * Writes {@link #toSnapshot()} as JSON, exactly as Python writes it, to a file that is owner-only (0600) from
     * the moment it exists. Closing removes it and puts back a file that was at the path before.
     *
     * @param path the snapshot file; its directory must exist
     * @return the open snapshot; close it with try-with-resources
     * @throws NoCredentialsException when no credentials can be found (before any file is touched)
     */
    public TempSnapshot tempSnapshot(Path path) {
        Objects.requireNonNull(path, "path");
        String json = SnapshotCodec.toJson(toSnapshot());
        return TempSnapshot.write(path, json);
    }

    /**
     * A manager from the snapshot file at {@link #defaultSnapshotPath()}: the file named by the environment
     * variable {@value #SNAPSHOT_FILE_VARIABLE} when it is set (as in a child JVM), else by the system property
     * {@value #SNAPSHOT_FILE_PROPERTY} (as in a test JVM that bsm-maven-plugin prepared), else
     * {@code ~/.bsm-snapshot.json}.
     *
     * @return a new manager
     * @throws InvalidSnapshotException when the file is missing, unreadable, malformed or incomplete
     */
    public static BotoSesManager fromSnapshotFile() {
        return fromSnapshotFile(defaultSnapshotPath());
    }

    /**
     * A manager from a snapshot file written by {@link #tempSnapshot(Path)} or by the Python library.
     *
     * @param path the snapshot file
     * @return a new manager
     * @throws InvalidSnapshotException when the file is missing, unreadable, not a regular file (a symbolic link
     *     to one is fine), larger than 64 KiB, malformed or incomplete, or holds a character no environment can
     *     carry; the message names the file and the problem, never its content
     */
    public static BotoSesManager fromSnapshotFile(Path path) {
        return fromSnapshotValues(SnapshotFiles.read(path));
    }

    /**
     * {@return the file named by the environment variable {@value #SNAPSHOT_FILE_VARIABLE} when it is set, else by
     * the system property {@value #SNAPSHOT_FILE_PROPERTY} when that is set, else {@code .bsm-snapshot.json} in the
     * user's home directory (the Python library's default)}
     */
    public static Path defaultSnapshotPath() {
        return SnapshotFiles.defaultPath();
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    /**
     * Closes and forgets every cached client, the caller identity and the account alias; the next use builds
     * and fetches them again. The HTTP clients, the credentials provider and the one scheduler of every client's API
     * call timeouts stay, so however often it runs, the manager has at most five scheduler threads. Call it when no
     * other thread is using this manager's clients.
     */
    public void clearCache() {
        List<Object> dropped = new ArrayList<>();
        for (Class<?> type : List.copyOf(clients.keySet())) {
            Object client = clients.remove(type);
            if (client != null) {
                dropped.add(client);
            }
        }
        identity.reset();
        accountAlias.reset();
        region.reset();
        dropped.forEach(ClientFactory::close);
    }

    /**
     * Closes every client, the HTTP clients, the credentials provider and the timeout scheduler this manager made
     * (never ones the caller passed in). Idempotent; later calls to {@link #client(Class)} fail. A client kept from
     * before fails with an {@link IllegalStateException} saying its manager was closed as soon as it reaches what
     * the manager made: its HTTP clients, or the scheduler of API call timeouts. A kept client that reaches only
     * what the caller passed in (an HTTP client, and a scheduler or no timeout) is not stopped.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<AutoCloseable> toClose = new ArrayList<>();
        clients.values().forEach(client -> toClose.add((SdkAutoCloseable) client));
        clients.clear();
        ownedHttpClient.ifBuilt().ifPresent(toClose::add);
        ownedAsyncHttpClient.ifBuilt().ifPresent(toClose::add);
        toClose.addAll(ownedResources);
        // Last: the clients and the auto-refresh provider above may have scheduled work until now.
        toClose.add(scheduler);
        closeAll(toClose, null);
    }

    @Override
    public String toString() {
        return "BotoSesManager[credentials=" + settings.credentialsSource()
                + ", region=" + settings.region().map(Region::id).orElse("<default chain>")
                + settings.endpoint().map(uri -> ", endpoint=" + uri).orElse("")
                + (closed.get() ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------------------------------------- internals

    Region region() {
        return region.get().orElseThrow(() -> new NoRegionException("No AWS region is configured. Looked at:"
                + " BotoSesManager.builder().region(...), the system property aws.region, the environment variable"
                + " AWS_REGION, the region of profile '" + settings.profileName().orElse("default") + "' in "
                + ProfileFileLocation.configurationFilePath() + ", and EC2 instance metadata. Set one of them, e.g."
                + " BotoSesManager.builder().region(\"us-east-1\").", null));
    }

    /** Looked up once until {@link #clearCache()}: a missing region must not cost a metadata lookup per call. */
    private Optional<Region> resolveRegion() {
        if (settings.region().isPresent()) {
            return settings.region();
        }
        try {
            return Optional.of(DefaultAwsRegionProviderChain.builder()
                    .profileName(settings.profileName().orElse(null))
                    .build()
                    .getRegion());
        } catch (SdkClientException e) {
            return Optional.empty();
        }
    }

    /** The region, or empty when none is configured anywhere; what decides where a role's STS calls go. */
    Optional<Region> optionalRegion() {
        return region.get();
    }

    /** For {@link RoleAssumer}: a child's settings are its parent's, with the child's region and source. */
    SessionSettings settings() {
        return settings;
    }

    private AwsCredentials resolveCredentials() {
        try {
            return credentialsProvider.resolveCredentials();
        } catch (BsmException e) {
            throw e;
        } catch (RuntimeException e) {
            // SdkClientException from the chains; IllegalArgumentException from a profile missing a key, ...
            throw new NoCredentialsException(MissingCredentials.message(settings, e), e);
        }
    }

    /** For the snapshot and the CLI variables: a token only for temporary credentials, never an empty one. */
    static Optional<String> sessionToken(AwsCredentials credentials) {
        if (credentials instanceof AwsSessionCredentials session && !session.sessionToken().isEmpty()) {
            return Optional.of(session.sessionToken());
        }
        return Optional.empty();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("This BotoSesManager is closed: " + this
                    + ". Create a new one, or do not close it while it is in use.");
        }
    }

    /** The manager's own sync HTTP client; an auto-refreshing child makes one more for its refresh calls. */
    static SdkHttpClient newHttpClient() {
        return new RoutingHttpClient();
    }

    private SdkHttpClient ownHttpClient() {
        return settings.httpClientsOf().<SdkHttpClient>map(lender -> new BorrowedHttpClients.Sync(
                () -> lender.lend(lender.settings.httpClient(), lender.ownedHttpClient, "HTTP client")))
                .orElseGet(BotoSesManager::newHttpClient);
    }

    private SdkAsyncHttpClient ownAsyncHttpClient() {
        return settings.httpClientsOf().<SdkAsyncHttpClient>map(lender -> new BorrowedHttpClients.Async(
                () -> lender.lend(lender.settings.asyncHttpClient(), lender.ownedAsyncHttpClient,
                        "async HTTP client")))
                .orElseGet(BotoSesManager::newAsyncHttpClient);
    }

    /**
     * An HTTP client of this manager for a manager that borrows it: the caller's, or its own, built now if need
     * be, unless this manager is closed (then none is built, or one built meanwhile is closed again).
     */
    private <T extends SdkAutoCloseable> T lend(Optional<T> given, Lazy<T> own, String part) {
        if (given.isPresent()) {
            return given.get();
        }
        if (closed.get()) {
            throw ClosedManager.used(part);
        }
        T client = own.get();
        if (closed.get()) {
            own.ifBuilt().ifPresent(SdkAutoCloseable::close); // close() may have looked before it was built
            throw ClosedManager.used(part);
        }
        return client;
    }

    /** Netty is optional: sync-only users do not carry it, and never load it. */
    private static SdkAsyncHttpClient newAsyncHttpClient() {
        try {
            return new ManagerAsyncHttpClient(NettyNioAsyncHttpClient.builder().build());
        } catch (LinkageError e) {
            throw new InvalidConfigurationException("Async clients need an async HTTP client: add the dependency"
                    + " software.amazon.awssdk:netty-nio-client, or pass one with"
                    + " BotoSesManager.builder().asyncHttpClient(...)", e);
        }
    }

    /** Closes each in order; failures go to {@code primary} as suppressed, or are thrown once all are closed. */
    static void closeAll(List<AutoCloseable> resources, Throwable primary) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (failure == null) {
                    failure = new BsmException("Closing " + resource.getClass().getSimpleName() + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Builds a {@link BotoSesManager}. Choose at most one credentials source: {@link #profileName(String)},
     * {@link #credentials(String, String)} (or with a token), or {@link #credentialsProvider}; with none, the
     * SDK's default chain. Not thread-safe.
     */
    public static final class Builder {
        private CredentialsSource credentialsSource = new CredentialsSource.DefaultChain();
        // Setting the same kind again replaces it, as in the SDK's builders; two kinds are an error, raised by
        // build() and naming the options in the order they were set.
        private final Set<String> credentialsOptionsSet = new LinkedHashSet<>();
        private Region region;
        private URI endpoint;
        private ClientOverrideConfiguration overrideConfiguration;
        private SdkHttpClient httpClient;
        private SdkAsyncHttpClient asyncHttpClient;
        private String accountId;
        private BotoSesManager httpClientsOf;
        private Boolean cborEnabled;

        private Builder() {
        }

        /**
         * Uses the credentials of a profile.
         *
         * @param profileName a profile of {@code ~/.aws/config} or {@code ~/.aws/credentials}
         * @return this builder
         */
        public Builder profileName(String profileName) {
            return choose("profileName", new CredentialsSource.Profile(Validation.profileName(profileName)));
        }

        /**
         * Uses long-term keys.
         *
         * @param accessKeyId a long-term access key id
         * @param secretAccessKey its secret key
         * @return this builder
         * @throws InvalidConfigurationException when a value is blank or holds a character no environment can carry
         *     (NUL, a lone surrogate); the value is never shown
         */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            return choose("credentials", new CredentialsSource.StaticKeys(AwsBasicCredentials.create(
                    Validation.credential("accessKeyId", accessKeyId),
                    Validation.credential("secretAccessKey", secretAccessKey))));
        }

        /**
         * Uses temporary credentials.
         *
         * @param accessKeyId a temporary access key id
         * @param secretAccessKey its secret key
         * @param sessionToken its session token
         * @return this builder
         * @throws InvalidConfigurationException when a value is blank or holds a character no environment can carry
         *     (NUL, a lone surrogate); the value is never shown
         */
        public Builder credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
            return choose("credentials", new CredentialsSource.StaticKeys(AwsSessionCredentials.create(
                    Validation.credential("accessKeyId", accessKeyId),
                    Validation.credential("secretAccessKey", secretAccessKey),
                    Validation.credential("sessionToken", sessionToken))));
        }

        /**
         * Uses a credentials provider.
         *
         * @param provider any credentials provider; the caller owns it and closes it after the manager
         * @return this builder
         */
        public Builder credentialsProvider(AwsCredentialsProvider provider) {
            return choose("credentialsProvider",
                    new CredentialsSource.Provider(Objects.requireNonNull(provider, "provider")));
        }

        private Builder choose(String option, CredentialsSource source) {
            credentialsSource = source;
            credentialsOptionsSet.add(option);
            return this;
        }

        /**
         * Sets the region.
         *
         * @param region a region id such as {@code us-east-1} (default: the SDK's region chain)
         * @return this builder
         */
        public Builder region(String region) {
            this.region = Region.of(Validation.region(region));
            return this;
        }

        /**
         * Sets the region.
         *
         * @param region a region (default: the SDK's region chain)
         * @return this builder
         */
        public Builder region(Region region) {
            return region(Objects.requireNonNull(region, "region").id());
        }

        /**
         * Sends every client to one endpoint, such as an emulator. With {@link #profileName(String)}, the STS calls
         * behind the profile go there too: each {@code role_arn} of its chain is assumed at the endpoint (SSO's
         * token and portal calls still go to IAM Identity Center, which no emulator offers).
         *
         * @param endpoint an endpoint for every client, e.g. LocalStack's {@code http://localhost:4566}; S3
         *     clients then use path-style addressing
         * @return this builder
         */
        public Builder endpointOverride(URI endpoint) {
            this.endpoint = Validation.endpoint(endpoint);
            return this;
        }

        /**
         * Sends requests through another manager's HTTP clients (sync and async, each built by that manager when
         * first needed) instead of clients of this manager's own, so that many managers on one endpoint, such as
         * one per emulator account, share connections and threads. The other manager keeps them and closes them;
         * once this manager is closed its clients fail as on its own closed HTTP clients, and once the other one is
         * closed, too. Managers of roles assumed from this one borrow the same. An {@link #httpClient} or
         * {@link #asyncHttpClient} given as well is used for its kind instead.
         *
         * @param lender an open manager, closed after this one
         * @return this builder
         */
        public Builder httpClientsOf(BotoSesManager lender) {
            this.httpClientsOf = Objects.requireNonNull(lender, "lender");
            return this;
        }

        /**
         * Says which account the credentials act in, when the caller chose it: an emulator account picked by the
         * access key id (LocalStack) or by a header (moto's {@code x-moto-account-id}), as bsm-junit5's isolation
         * does. {@link BotoSesManager#awsAccountId()} then answers it without calling STS; the user id and the
         * principal ARN still come from one GetCallerIdentity, on first use. Not checked against STS: leave it
         * unset unless you know the account. A role assumed from this manager asks STS for its own.
         *
         * @param accountId a 12-digit account id
         * @return this builder
         * @throws InvalidConfigurationException when it is not 12 digits
         */
        public Builder accountId(String accountId) {
            this.accountId = Validation.accountId(accountId);
            return this;
        }

        /**
         * Sets the override configuration of every client.
         *
         * @param configuration applied to every client (timeouts, retries, interceptors ...)
         * @return this builder
         */
        public Builder overrideConfiguration(ClientOverrideConfiguration configuration) {
            this.overrideConfiguration = Objects.requireNonNull(configuration, "configuration");
            return this;
        }

        /**
         * Sets the override configuration of every client.
         *
         * @param configuration applied to every client (timeouts, retries, interceptors ...)
         * @return this builder
         */
        public Builder overrideConfiguration(Consumer<ClientOverrideConfiguration.Builder> configuration) {
            ClientOverrideConfiguration.Builder builder = ClientOverrideConfiguration.builder();
            configuration.accept(builder);
            return overrideConfiguration(builder.build());
        }

        /**
         * Uses your HTTP client for sync clients. The manager's own sends requests through the SDK's URLConnection
         * client, which starts quickly, and PATCH and {@code Expect: 100-continue} requests through an Apache 5
         * client built when first needed; both read the trust store on the first TLS handshake.
         *
         * @param httpClient used by every sync client instead of the manager's own; the caller closes it
         * @return this builder
         */
        public Builder httpClient(SdkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * Uses your HTTP client for async clients.
         *
         * @param asyncHttpClient used by every async client instead of the manager's own; the caller closes it
         * @return this builder
         */
        public Builder asyncHttpClient(SdkAsyncHttpClient asyncHttpClient) {
            this.asyncHttpClient = Objects.requireNonNull(asyncHttpClient, "asyncHttpClient");
            return this;
        }

        /**
         * Chooses the wire format of the clients of CBOR services (Kinesis): CBOR, the SDK's default, or JSON.
         * Emulators that do not speak CBOR need {@code false}: moto answers Kinesis's CBOR with HTTP 500.
         * bsm-testkit's {@code MotoServer} and bsm-junit5's moto sessions set it for you. Unset, the SDK decides from
         * the system property {@code aws.cborEnabled} or the environment variable {@code CBOR_ENABLED} (default
         * true).
         *
         * <p>The SDK reads that setting only from the JVM-wide property and variable, only when a client is built.
         * So bsm builds this manager's clients with {@code aws.cborEnabled} set to this value and puts the old value
         * back right after, under the lock of its other property changes; a client another thread builds in that
         * moment speaks the same format. {@link BotoSesManager#awscliVariables()} then also carries
         * {@code CBOR_ENABLED} (and {@link BotoSesManager#awscli()} the property), so clients built inside an
         * {@code awscli()} block, and child JVMs, speak it too.
         *
         * @param cborEnabled false for JSON, true for CBOR
         * @return this builder
         */
        public Builder cborEnabled(boolean cborEnabled) {
            this.cborEnabled = cborEnabled;
            return this;
        }

        /**
         * Checks the settings and builds the manager; no network call is made.
         *
         * @return a new manager
         * @throws InvalidConfigurationException when more than one credentials source is set
         * @throws UnknownProfileException when the profile is in neither AWS file
         */
        public BotoSesManager build() {
            if (credentialsOptionsSet.size() > 1) {
                throw new InvalidConfigurationException("Choose one credentials source, not "
                        + credentialsOptionsSet + ": profileName, credentials or credentialsProvider");
            }
            SessionSettings settings = new SessionSettings(credentialsSource.profileName(),
                    Optional.ofNullable(region), Optional.ofNullable(endpoint),
                    Optional.ofNullable(overrideConfiguration), Optional.ofNullable(httpClient),
                    Optional.ofNullable(asyncHttpClient), Optional.ofNullable(cborEnabled),
                    credentialsSource.description(), Optional.ofNullable(accountId), Optional.ofNullable(httpClientsOf));
            // Built on first use: a manager whose clients schedule nothing starts no thread.
            ManagerScheduler scheduler = new ManagerScheduler();
            CredentialsSource.Made made = credentialsSource.make(settings, scheduler);
            return new BotoSesManager(settings, made.provider(), made.owned(), scheduler);
        }
    }
}
