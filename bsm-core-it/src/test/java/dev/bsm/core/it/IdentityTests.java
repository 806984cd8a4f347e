package dev.bsm.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.iam.IamClient;

class IdentityTests {
    private final CallCounter counter = new CallCounter();
    private BotoSesManager bsm;
    private MotoServer moto;

    @BeforeEach
    void managerOnFreshMoto() {
        bsm = Moto.freshManager(counter);
        moto = Moto.server();
    }

    @AfterEach
    void close() {
        if (bsm != null) { // null when @BeforeEach aborted: no emulator
            bsm.close();
        }
    }

    @Test
    void oneGetCallerIdentityFillsAccountUserIdAndArn() {
        assertThat(bsm.awsAccountId()).isEqualTo(moto.accountId());
        assertThat(bsm.principalArn()).startsWith("arn:aws:sts::" + moto.accountId() + ":");
        assertThat(bsm.awsAccountUserId()).isNotBlank();
        assertThat(bsm.awsRegion()).isEqualTo(moto.region());
        bsm.maskedAwsAccountId();
        bsm.maskedPrincipalArn();
        bsm.maskedAwsAccountUserId();

        assertThat(counter.count("GetCallerIdentity")).isEqualTo(1);
    }

    /**
     * An account the caller chose (moto's header, as bsm-junit5's isolation sends it): the account id costs no
     * call; the user id and ARN still come from STS, once.
     */
    @Test
    void aManagerToldItsAccountAnswersItWithoutStsAndTheRestFromOneCall() {
        String account = "210987654321";
        try (BotoSesManager told = toldManager(account, new AccountHeader(account))) {
            assertThat(told.awsAccountId()).isEqualTo(account);
            assertThat(told.maskedAwsAccountId()).isEqualTo("21********21");
            assertThat(counter.count("GetCallerIdentity")).as("for the account id").isZero();

            assertThat(told.principalArn()).startsWith("arn:aws:sts::" + account + ":");
            assertThat(told.awsAccountUserId()).isNotBlank();
            assertThat(told.whoAmI(false)).contains("AWS Account Id = " + account);
            assertThat(counter.count("GetCallerIdentity")).as("for user id and ARN").isEqualTo(1);
        }
    }

    @Test
    void aRoleAssumedFromAManagerToldItsAccountAsksStsForItsOwn() {
        try (BotoSesManager told = toldManager("210987654321", new ExecutionInterceptor() { });
                BotoSesManager role = told.assumeRole("arn:aws:iam::111122223333:role/reader")) {
            assertThat(role.awsAccountId()).isEqualTo("111122223333");
            assertThat(counter.count("GetCallerIdentity")).isEqualTo(1);
        }
    }

    private BotoSesManager toldManager(String account, ExecutionInterceptor interceptor) {
        return BotoSesManager.builder()
                .credentials(moto.accessKeyId(), Moto.CANARY_SECRET)
                .region(moto.region())
                .endpointOverride(moto.endpoint())
                .accountId(account)
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter).addExecutionInterceptor(interceptor))
                .build();
    }

    /** moto's account header on every request. */
    private record AccountHeader(String account) implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            return context.httpRequest().toBuilder().putHeader("x-moto-account-id", account).build();
        }
    }

    @Test
    void sixtyFourThreadsRacingForIdentityMakeOneCall() throws Exception {
        int threads = 64;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return bsm.principalArn() + " " + bsm.awsAccountAlias();
                }));
            }
            start.countDown();
            for (Future<String> result : results) {
                assertThat(result.get()).startsWith(bsm.principalArn());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(counter.count("GetCallerIdentity")).isEqualTo(1);
        assertThat(counter.count("ListAccountAliases")).isEqualTo(1);
    }

    @Test
    void masksLikePython() {
        String account = bsm.awsAccountId();
        assertThat(bsm.maskedAwsAccountId())
                .isEqualTo(account.substring(0, 2) + "********" + account.substring(account.length() - 2));
        assertThat(bsm.maskedPrincipalArn()).isEqualTo(bsm.principalArn().replace(account, bsm.maskedAwsAccountId()))
                .doesNotContain(account);
    }

    @Test
    void pythonBug2AnAccountWithoutAliasGivesEmptyNotACrash() {
        assertThat(bsm.awsAccountAlias()).isEmpty();
        assertThat(bsm.awsAccountAlias()).isEmpty();
        assertThat(counter.count("ListAccountAliases")).isEqualTo(1);
    }

    @Test
    void theAliasIsReadFromIamAndClearCacheFetchesAgain() {
        assertThat(bsm.awsAccountAlias()).isEmpty();
        bsm.client(IamClient.class).createAccountAlias(r -> r.accountAlias("bsm-team"));
        assertThat(bsm.awsAccountAlias()).as("cached").isEmpty();

        bsm.clearCache();

        assertThat(bsm.awsAccountAlias()).contains("bsm-team");
        bsm.awsAccountId();
        assertThat(counter.count("ListAccountAliases")).isEqualTo(2);
        assertThat(counter.count("GetCallerIdentity")).isEqualTo(1);
    }

    @Test
    void whoAmIHasPythonsFiveLines() {
        bsm.client(IamClient.class).createAccountAlias(r -> r.accountAlias("bsm-team"));
        String account = bsm.awsAccountId();

        assertThat(bsm.whoAmI(false)).isEqualTo(String.join("\n",
                "User Id = " + bsm.awsAccountUserId(),
                "AWS Account Id = " + account,
                "Principal Arn = " + bsm.principalArn(),
                "AWS Account Alias = bsm-team",
                "AWS Region = " + moto.region()));
        assertThat(bsm.whoAmI(true)).isEqualTo(String.join("\n",
                "User Id = " + bsm.maskedAwsAccountUserId(),
                "AWS Account Id = " + bsm.maskedAwsAccountId(),
                "Principal Arn = " + bsm.maskedPrincipalArn(),
                "AWS Account Alias = bsm-team",
                "AWS Region = " + moto.region()))
                .doesNotContain(account);
    }

    @Test
    @ResourceLock(Resources.SYSTEM_OUT)
    void printWhoAmIIsMaskedByDefault() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            bsm.printWhoAmI();
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .isEqualTo(bsm.whoAmI(true) + System.lineSeparator())
                .contains("AWS Account Alias = None")
                .doesNotContain(bsm.awsAccountId());
    }
}
