package dev.bsm.bench.manyservices;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/** The 20 services of benchmark 2, each with its client type, its plain builder and one read-only call. */
final class Services {
    /** One service: how a hand-written test builds it and one cheap call moto answers. */
    record Service<C extends SdkClient>(Class<C> type, Supplier<? extends AwsClientBuilder<?, ?>> plainBuilder,
            Consumer<C> call) {
        void callOn(Object client) {
            call.accept(type.cast(client));
        }
    }

    static final List<Service<?>> ALL = List.of(
            new Service<>(S3Client.class, S3Client::builder, S3Client::listBuckets),
            new Service<>(SqsClient.class, SqsClient::builder, SqsClient::listQueues),
            new Service<>(SnsClient.class, SnsClient::builder, SnsClient::listTopics),
            new Service<>(DynamoDbClient.class, DynamoDbClient::builder, DynamoDbClient::listTables),
            new Service<>(LambdaClient.class, LambdaClient::builder, LambdaClient::listFunctions),
            new Service<>(KmsClient.class, KmsClient::builder, KmsClient::listKeys),
            new Service<>(SecretsManagerClient.class, SecretsManagerClient::builder, c -> c.listSecrets(r -> { })),
            new Service<>(SsmClient.class, SsmClient::builder, c -> c.describeParameters(r -> { })),
            new Service<>(CloudWatchLogsClient.class, CloudWatchLogsClient::builder,
                    c -> c.describeLogGroups(r -> { })),
            new Service<>(EventBridgeClient.class, EventBridgeClient::builder, c -> c.listRules(r -> { })),
            new Service<>(SfnClient.class, SfnClient::builder, c -> c.listStateMachines(r -> { })),
            new Service<>(FirehoseClient.class, FirehoseClient::builder, c -> c.listDeliveryStreams(r -> { })),
            new Service<>(EcrClient.class, EcrClient::builder, c -> c.describeRepositories(r -> { })),
            new Service<>(Route53Client.class, Route53Client::builder, c -> c.listHostedZones(r -> { })),
            new Service<>(AcmClient.class, AcmClient::builder, c -> c.listCertificates(r -> { })),
            new Service<>(SesClient.class, SesClient::builder, c -> c.listIdentities(r -> { })),
            new Service<>(CloudFormationClient.class, CloudFormationClient::builder, c -> c.listStacks(r -> { })),
            new Service<>(ApiGatewayClient.class, ApiGatewayClient::builder, c -> c.getRestApis(r -> { })),
            new Service<>(IamClient.class, IamClient::builder, c -> c.listUsers(r -> { })),
            new Service<>(StsClient.class, StsClient::builder, StsClient::getCallerIdentity));

    private Services() {
    }
}
