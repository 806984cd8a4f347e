package dev.bsm.core;

/** Run in a child JVM without --add-opens: awscli() must fail cleanly, before changing anything. */
final class AwscliWithoutAddOpens {
    static final int EXIT_ENVIRONMENT_ACCESS = 3;
    static final String SECRET = "childSecretKeyThatMustNotBePrinted";

    private AwscliWithoutAddOpens() {
    }

    public static void main(String[] args) {
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AKIDCHILD", SECRET).region("us-east-1")
                .build()) {
            bsm.awscli();
            System.out.println("awscli() unexpectedly succeeded");
        } catch (EnvironmentAccessException e) {
            System.out.println(e.getMessage());
            boolean unchanged = !"AKIDCHILD".equals(System.getenv("AWS_ACCESS_KEY_ID"))
                    && System.getProperty("aws.accessKeyId") == null;
            System.out.println(unchanged ? "environment unchanged" : "environment CHANGED");
            System.exit(EXIT_ENVIRONMENT_ACCESS);
        }
    }
}
