"""The bootstrap of docs/deploying.md, rehearsed in moto: the four stacks in the documented
order with only the parameters the runbook passes, the repository variables it sets, the
deploy workflow's first deploy, and step 7. Over plain HTTP as the runbook's main path, and
again with the optional HTTPS step.

What moto cannot create (WAF, Backup, alarms, the secret, the schedule, …) is pinned in
MOTO_SKIPS; those resources are checked by the tests that read the templates.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from tests.infra.rehearsal import Rehearsal, default_network, merged_bootstrap_deploys
from tests.infra.repo import WORKFLOWS, infra_script, task_definition_json, template
from tests.infra.runbook import bootstrap_steps, output_reads, repository_variables, stack_deploys

ORDER = [
    "bitcoin-tracker-data",
    "bitcoin-tracker-ingest",
    "bitcoin-tracker-web",
    "bitcoin-tracker-ci",
]
TEMPLATES = {
    "bitcoin-tracker-data": "data.yaml",
    "bitcoin-tracker-ingest": "ingest.yaml",
    "bitcoin-tracker-web": "web.yaml",
    "bitcoin-tracker-ci": "ci.yaml",
}
COMMIT = "0123456789abcdef0123456789abcdef01234567"
SHELL = {
    "REPO": "octo-org/bitcoin-tracker",
    "REPO_IDS": "1234/5678",
    "DOMAIN": "dashboard.example.com",
}
# moto 5.2.5 has no CloudFormation support for these: it skips them with a warning.
MOTO_SKIPS = {
    "AWS::ApplicationAutoScaling::ScalableTarget",
    "AWS::ApplicationAutoScaling::ScalingPolicy",
    "AWS::Backup::BackupPlan",
    "AWS::Backup::BackupSelection",
    "AWS::Backup::BackupVault",
    "AWS::CloudFormation::WaitConditionHandle",
    "AWS::CloudWatch::Alarm",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::IAM::OIDCProvider",
    "AWS::Lambda::EventInvokeConfig",
    "AWS::Logs::MetricFilter",
    "AWS::S3::BucketPolicy",
    "AWS::SNS::Subscription",
    "AWS::Scheduler::Schedule",
    "AWS::SecretsManager::Secret",
    "AWS::WAFv2::WebACL",
    "AWS::WAFv2::WebACLAssociation",
}
# Outputs the runbook reads whose value comes from a resource moto skips.
# moto warns again when a test reads an output built from a skipped resource.
pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")
OUTPUTS_OF_SKIPPED = {
    ("bitcoin-tracker-data", "BackupVaultName"),
    ("bitcoin-tracker-ingest", "CmcApiKeySecretArn"),
}


def first_deploy(rehearsal: Rehearsal) -> str:
    """Step 6, as .github/workflows/deploy.yml does it with the repository variables."""
    variables = rehearsal.variables
    outputs = rehearsal.cloudformation.describe_stacks(StackName=variables["WEB_STACK"])
    listed = outputs["Stacks"][0]["Outputs"]
    fill = infra_script("fill_task_definition")
    definition = fill.fill(
        task_definition_json(), {o["OutputKey"]: o["OutputValue"] for o in listed}
    )
    registry = f"123456789012.dkr.ecr.{variables['AWS_REGION']}.amazonaws.com"
    (container,) = definition["containerDefinitions"]
    container["image"] = f"{registry}/{variables['ECR_REPOSITORY']}:{COMMIT}"
    ecs = rehearsal.client("ecs")
    arn = ecs.register_task_definition(**definition)["taskDefinition"]["taskDefinitionArn"]
    ecs.update_service(
        cluster=variables["ECS_CLUSTER"], service=variables["ECS_SERVICE"], taskDefinition=arn
    )
    rehearsal.client("lambda").update_function_code(
        FunctionName=variables["INGEST_FUNCTION"], ZipFile=b"PK\x05\x06" + b"\x00" * 18
    )
    return arn


@pytest.fixture(scope="module")
def http() -> Iterator[Rehearsal]:
    """The runbook's main path: steps 1 to 7 without the optional HTTPS step."""
    steps = [step for step in bootstrap_steps() if not step.optional]
    with mock_aws():
        rehearsal = Rehearsal(
            "eu-west-1", dict(SHELL), commands={"git rev-parse origin/master": COMMIT}
        )
        rehearsal.shell.update(default_network(rehearsal))
        for command in merged_bootstrap_deploys(steps):
            assert rehearsal.deploy(command) == "CREATE_COMPLETE", command.stack
        (variables_step,) = [step for step in steps if repository_variables(step)]
        rehearsal.set_repository_variables(variables_step)
        rehearsal.commands["first deploy"] = first_deploy(rehearsal)
        later = steps[steps.index(variables_step) + 1 :]
        for command in [c for step in later for c in stack_deploys(step)]:
            assert rehearsal.deploy(command) == "UPDATE_COMPLETE", command.stack
        yield rehearsal


@pytest.fixture(scope="module")
def https() -> Iterator[Rehearsal]:
    """Steps 1 to 5 with step 3a: a certificate and a Route 53 zone for the domain. In another
    region, as both rehearsals share moto's state (and us-east-2 is one where the load balancer
    writes logs as an AWS account, eu-west-1 too; the bucket policy is not built by moto)."""
    with mock_aws():
        rehearsal = Rehearsal("us-east-2", dict(SHELL))
        rehearsal.shell.update(default_network(rehearsal))
        rehearsal.shell["CERT_ARN"] = rehearsal.client("acm").request_certificate(
            DomainName=SHELL["DOMAIN"], ValidationMethod="DNS"
        )["CertificateArn"]
        zone = rehearsal.client("route53").create_hosted_zone(
            Name="example.com", CallerReference="rehearsal"
        )["HostedZone"]
        rehearsal.shell["ZONE_ID"] = zone["Id"].rsplit("/", 1)[-1]
        for command in merged_bootstrap_deploys(bootstrap_steps()):
            assert rehearsal.deploy(command) == "CREATE_COMPLETE", command.stack
        yield rehearsal


def test_the_four_stacks_are_created_in_the_documented_order(http: Rehearsal) -> None:
    assert http.created == ORDER


def test_moto_skips_exactly_the_types_it_does_not_implement(
    http: Rehearsal, https: Rehearsal
) -> None:
    assert http.skipped_types | https.skipped_types == MOTO_SKIPS
    declared = {
        resource["Type"]
        for name in TEMPLATES.values()
        for resource in template(name)["Resources"].values()
    }
    assert declared >= MOTO_SKIPS


def test_every_output_the_runbook_reads_exists(http: Rehearsal) -> None:
    reads = output_reads()
    for stack, key in reads:
        assert key in template(TEMPLATES[stack])["Outputs"], (stack, key)
    missing_in_moto = {(stack, key) for stack, key in reads if key not in http.outputs(stack)}
    assert missing_in_moto == OUTPUTS_OF_SKIPPED


def test_repository_variables_are_everything_the_deploy_workflow_reads(http: Rehearsal) -> None:
    deploy = (WORKFLOWS / "deploy.yml").read_text()
    used = {name for name in http.variables if f"vars.{name}" in deploy}
    assert used == set(http.variables)
    assert all(http.variables.values())
    (balancer,) = http.client("elbv2").describe_load_balancers()["LoadBalancers"]
    assert http.variables["DASHBOARD_URL"] == f"http://{balancer['DNSName']}"
    assert http.variables["AWS_REGION"] == http.region
    assert http.client("ecr").describe_repositories(
        repositoryNames=[http.variables["ECR_REPOSITORY"]]
    )["repositories"]


def test_first_deploy_registers_the_filled_definition_with_the_liveness_probe(
    http: Rehearsal,
) -> None:
    ecs = http.client("ecs")
    definition = ecs.describe_task_definition(taskDefinition=http.commands["first deploy"])
    (container,) = definition["taskDefinition"]["containerDefinitions"]
    assert container["image"].endswith(f"/bitcoin-tracker-web-dashboard:{COMMIT}")
    assert "/livez'" in container["healthCheck"]["command"][-1]
    web = http.outputs("bitcoin-tracker-web")
    assert definition["taskDefinition"]["taskRoleArn"] == web["TaskRoleArn"]
    (group,) = http.client("elbv2").describe_target_groups()["TargetGroups"]
    assert group["HealthCheckPath"] == "/readyz"


def test_step_7_runs_two_tasks(http: Rehearsal) -> None:
    """moto updates the service's count but keeps the template's task definition revision
    as it was (it does not re-render the image from ImageTag); the image is checked by
    test_infra_web_stack.py reading the template."""
    ecs = http.client("ecs")
    (service,) = ecs.describe_services(cluster="bitcoin-tracker-web", services=["dashboard"])[
        "services"
    ]
    assert service["desiredCount"] == 2


def test_ingest_function_is_unreserved_and_answers_the_packaged_handler(http: Rehearsal) -> None:
    function = http.client("lambda").get_function(FunctionName="bitcoin-tracker-ingest")
    config = function["Configuration"]
    assert (config["Handler"], config["Runtime"]) == ("index.lambda_handler", "python3.12")
    assert config["Environment"]["Variables"]["SNAPSHOT_TABLE"] == "bitcoin-snapshots"
    assert "ReservedConcurrentExecutions" not in function.get("Concurrency", {})


def policy_document(value: dict[str, Any] | str) -> dict[str, Any]:
    """A policy as IAM returns it. moto hands back a CloudFormation-made inline policy as the
    repr of a Python dict rather than JSON, hence the literal_eval."""
    if isinstance(value, dict):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return ast.literal_eval(value)


def trust_condition(rehearsal: Rehearsal, stack: str) -> dict[str, Any]:
    arn = rehearsal.outputs(stack)["DeployRoleArn"]
    role = rehearsal.client("iam").get_role(RoleName=arn.rsplit("/", 1)[-1])["Role"]
    (statement,) = policy_document(role["AssumeRolePolicyDocument"])["Statement"]
    return statement["Condition"]["StringEquals"]


def test_deploy_role_trusts_the_immutable_claim_by_default(http: Rehearsal) -> None:
    condition = trust_condition(http, "bitcoin-tracker-ci")
    assert condition == {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": (
            "repo:octo-org-1234/bitcoin-tracker-5678:ref:refs/heads/master"
        ),
    }


def test_deploy_role_trusts_the_names_claim_when_asked(https: Rehearsal) -> None:
    (ci,) = stack_deploys(next(s for s in bootstrap_steps() if "CI identity" in s.title))
    names = type(ci)(
        "ci-names", ci.template, ci.capabilities, {**ci.overrides, "SubjectClaimForm": "names"}
    )
    assert https.deploy(names) == "CREATE_COMPLETE"
    condition = trust_condition(https, "ci-names")
    assert condition["token.actions.githubusercontent.com:sub"] == (
        "repo:octo-org/bitcoin-tracker:ref:refs/heads/master"
    )


def test_deploy_role_may_touch_only_this_deployment(http: Rehearsal) -> None:
    arn = http.outputs("bitcoin-tracker-ci")["DeployRoleArn"]
    iam = http.client("iam")
    role_name = arn.rsplit("/", 1)[-1]
    (policy_name,) = iam.list_role_policies(RoleName=role_name)["PolicyNames"]
    document = iam.get_role_policy(RoleName=role_name, PolicyName=policy_name)["PolicyDocument"]
    statements = {s["Sid"]: s for s in policy_document(document)["Statement"]}
    web = http.outputs("bitcoin-tracker-web")
    assert statements["PushDashboardImage"]["Resource"] == web["RepositoryArn"]
    assert "ecr:BatchGetImage" in statements["PushDashboardImage"]["Action"]
    assert statements["UpdateDashboardService"]["Resource"] == web["ServiceArn"]
    assert set(statements["PassDashboardRoles"]["Resource"]) == {
        web["TaskRoleArn"],
        web["ExecutionRoleArn"],
    }
    ingest = http.client("lambda").get_function(FunctionName="bitcoin-tracker-ingest")
    assert statements["UpdateIngestCode"]["Resource"] == ingest["Configuration"]["FunctionArn"]


def test_access_logs_bucket_uses_the_only_encryption_load_balancers_deliver_to(
    http: Rehearsal,
) -> None:
    bucket = http.outputs("bitcoin-tracker-web")["AccessLogBucketName"]
    encryption = http.client("s3").get_bucket_encryption(Bucket=bucket)
    (rule,) = encryption["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"


def test_https_serves_the_domain_and_redirects_port_80(https: Rehearsal) -> None:
    assert https.out("bitcoin-tracker-web", "DashboardUrl") == "https://dashboard.example.com"
    elbv2 = https.client("elbv2")
    (balancer,) = elbv2.describe_load_balancers()["LoadBalancers"]
    listeners = {
        listener["Port"]: listener
        for listener in elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])[
            "Listeners"
        ]
    }
    assert set(listeners) == {80, 443}
    (redirect,) = listeners[80]["DefaultActions"]
    assert redirect["Type"] == "redirect"
    assert redirect["RedirectConfig"]["Protocol"] == "HTTPS"
    assert redirect["RedirectConfig"]["Port"] == "443"
    assert listeners[443]["Certificates"][0]["CertificateArn"] == https.shell["CERT_ARN"]
    records = https.client("route53").list_resource_record_sets(
        HostedZoneId=https.shell["ZONE_ID"]
    )["ResourceRecordSets"]
    (alias,) = [r for r in records if r["Name"].rstrip(".") == SHELL["DOMAIN"]]
    assert alias["Type"] == "A"
    assert alias["AliasTarget"]["DNSName"].rstrip(".") == balancer["DNSName"]
