package dev.bsm.core;

/**
 * Run in a child JVM whose class path may lack the SDK's SSO modules: prints the message of the failure to resolve
 * the credentials of a profile (args: config file, credentials file, profile), exit 0 for a NoCredentialsException.
 */
final class SsoProfileChild {
    static final int UNEXPECTED = 3;

    private SsoProfileChild() {
    }

    public static void main(String[] args) {
        System.setProperty("aws.configFile", args[0]);
        System.setProperty("aws.sharedCredentialsFile", args[1]);
        try (BotoSesManager bsm = BotoSesManager.builder().profileName(args[2]).build()) {
            bsm.expiration();
            System.out.println("credentials unexpectedly found");
            System.exit(UNEXPECTED);
        } catch (NoCredentialsException e) {
            System.out.println(e.getMessage());
        } catch (RuntimeException e) {
            System.out.println(e);
            System.exit(UNEXPECTED);
        }
    }
}
