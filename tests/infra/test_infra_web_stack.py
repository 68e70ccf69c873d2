"""infra/web.yaml, read as CloudFormation reads it: which health check decides what, HTTPS on
the operator's domain, the WAF in front, access logs, and the alarms a deploy rolls back on.
(What moto can build of it is rehearsed in test_infra_rehearsal.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra.repo import resource, task_definition_json, template

READINESS_PATH = "/readyz"
LIVENESS_PATH = "/livez"
STORE_REPORT_PATH = "/healthz"
DASH_CALLBACK_PATH = "/_dash-update-component"
SIZE_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body"


@pytest.fixture(scope="module")
def web() -> dict[str, Any]:
    return template("web.yaml")


def props(web: dict[str, Any], logical_id: str) -> dict[str, Any]:
    return resource(web, logical_id)["Properties"]


def test_the_load_balancer_asks_readiness_and_nothing_replaces_tasks_on_the_store_report(
    web: dict[str, Any],
) -> None:
    assert props(web, "TargetGroup")["HealthCheckPath"] == READINESS_PATH
    (container,) = props(web, "TaskDefinition")["ContainerDefinitions"]
    for probe in (container["HealthCheck"]["Command"][-1], str(task_definition_json())):
        assert LIVENESS_PATH in probe
        assert STORE_REPORT_PATH not in probe


def test_a_warming_task_gets_time_and_then_traffic_quickly(web: dict[str, Any]) -> None:
    group = props(web, "TargetGroup")
    grace = props(web, "Service")["HealthCheckGracePeriodSeconds"]
    assert grace == {"Ref": "ReadinessGraceSeconds"}
    # docs/performance.md: a worker's warm-up took 80 s at 1,000,000 snapshots.
    assert web["Parameters"]["ReadinessGraceSeconds"]["Default"] >= 3 * 80
    # Once warm, a task is in service within half a minute.
    assert group["HealthCheckIntervalSeconds"] * group["HealthyThresholdCount"] <= 30
    assert group["HealthCheckTimeoutSeconds"] < group["HealthCheckIntervalSeconds"]
    (container,) = props(web, "TaskDefinition")["ContainerDefinitions"]
    assert container["HealthCheck"]["StartPeriod"] >= 60


def test_https_needs_the_operators_domain(web: dict[str, Any]) -> None:
    rule = web["Rules"]["CertificateNeedsDomain"]
    assert rule["RuleCondition"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "CertificateArn"}, ""]}]}
    assert [assertion["Assert"] for assertion in rule["Assertions"]] == [
        {"Fn::Not": [{"Fn::Equals": [{"Ref": "DomainName"}, ""]}]}
    ]
    assert web["Outputs"]["DashboardUrl"]["Value"] == {
        "Fn::If": [
            "HasDomain",
            {
                "Fn::If": [
                    "HasCertificate",
                    {"Fn::Sub": "https://${DomainName}"},
                    {"Fn::Sub": "http://${DomainName}"},
                ]
            },
            {"Fn::Sub": "http://${LoadBalancer.DNSName}"},
        ]
    }
    https = props(web, "HttpsListener")
    assert resource(web, "HttpsListener")["Condition"] == "HasCertificate"
    assert https["Certificates"] == [{"CertificateArn": {"Ref": "CertificateArn"}}]
    redirect, forward = props(web, "HttpListener")["DefaultActions"]["Fn::If"][1:]
    assert redirect == [
        {
            "Type": "redirect",
            "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
        }
    ]
    assert forward == [{"Type": "forward", "TargetGroupArn": {"Ref": "TargetGroup"}}]


def test_a_route53_zone_gets_the_alias_record(web: dict[str, Any]) -> None:
    record = resource(web, "DnsRecord")
    assert record["Condition"] == "CreatesDnsRecord"
    assert record["Properties"]["Name"] == {"Ref": "DomainName"}
    assert record["Properties"]["AliasTarget"]["DNSName"] == {
        "Fn::GetAtt": ["LoadBalancer", "DNSName"]
    }
    assert web["Rules"]["HostedZoneNeedsDomain"]["Assertions"][0]["Assert"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "DomainName"}, ""]}]
    }


def test_a_deploy_rolls_back_on_5xx_and_slow_responses(web: dict[str, Any]) -> None:
    deployment = props(web, "Service")["DeploymentConfiguration"]
    assert deployment["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}
    alarms = deployment["Alarms"]
    assert (alarms["Enable"], alarms["Rollback"]) == (True, True)
    assert alarms["AlarmNames"] == [{"Ref": "ServerErrorsAlarm"}, {"Ref": "SlowResponsesAlarm"}]
    watched = {}
    for alarm in ("ServerErrorsAlarm", "SlowResponsesAlarm"):
        for query in props(web, alarm)["Metrics"]:
            if "MetricStat" in query:
                metric = query["MetricStat"]["Metric"]
                assert metric["Namespace"] == "AWS/ApplicationELB"
                assert metric["Dimensions"] == [
                    {
                        "Name": "LoadBalancer",
                        "Value": {"Fn::GetAtt": ["LoadBalancer", "LoadBalancerFullName"]},
                    }
                ]
                watched.setdefault(alarm, set()).add(metric["MetricName"])
        assert props(web, alarm)["TreatMissingData"] == "notBreaching"
    assert watched == {
        "ServerErrorsAlarm": {
            "RequestCount",
            "HTTPCode_Target_5XX_Count",
            "HTTPCode_ELB_5XX_Count",
        },
        "SlowResponsesAlarm": {"RequestCount", "TargetResponseTime"},
    }


def rules_by_name(web: dict[str, Any]) -> dict[str, dict[str, Any]]:
    rules = {}
    for rule in props(web, "WebAcl")["Rules"]:
        if "Fn::If" in rule:
            condition, rule, otherwise = rule["Fn::If"]
            assert (condition, otherwise) == ("RateLimited", {"Ref": "AWS::NoValue"})
        rules[rule["Name"]] = rule
    return rules


def test_the_waf_guards_the_load_balancer_with_a_per_ip_limit_on_by_default(
    web: dict[str, Any],
) -> None:
    association = props(web, "WebAclAssociation")
    assert association == {
        "ResourceArn": {"Ref": "LoadBalancer"},
        "WebACLArn": {"Fn::GetAtt": ["WebAcl", "Arn"]},
    }
    assert props(web, "WebAcl")["Scope"] == "REGIONAL"
    limit = rules_by_name(web)["rate-limit-per-ip"]
    assert limit["Priority"] == 0
    assert limit["Statement"]["RateBasedStatement"]["Limit"] == {"Ref": "RateLimitPerIp"}
    assert limit["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
    assert limit["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429
    # On by default, at or above AWS WAF's minimum of 10.
    assert web["Parameters"]["RateLimitPerIp"]["Default"] >= 10
    assert web["Conditions"]["RateLimited"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "RateLimitPerIp"}, 0]}]
    }


def test_the_common_rule_set_lets_dash_callbacks_past_8_kb_and_nothing_else(
    web: dict[str, Any],
) -> None:
    rules = rules_by_name(web)
    common = rules["aws-common-rule-set"]["Statement"]["ManagedRuleGroupStatement"]
    assert (common["VendorName"], common["Name"]) == ("AWS", "AWSManagedRulesCommonRuleSet")
    assert common["RuleActionOverrides"] == [
        {"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}
    ]
    reblock = rules["large-body-outside-dash-callbacks"]
    # Labels exist only after the rule group that adds them has run.
    assert reblock["Priority"] > rules["aws-common-rule-set"]["Priority"]
    assert reblock["Action"] == {"Block": {}}
    label, exempt = reblock["Statement"]["AndStatement"]["Statements"]
    assert label == {"LabelMatchStatement": {"Scope": "LABEL", "Key": SIZE_LABEL}}
    match = exempt["NotStatement"]["Statement"]["ByteMatchStatement"]
    assert match["FieldToMatch"] == {"UriPath": {}}
    assert (match["PositionalConstraint"], match["SearchString"]) == ("EXACTLY", DASH_CALLBACK_PATH)
    known_bad = rules["aws-known-bad-inputs"]["Statement"]["ManagedRuleGroupStatement"]
    assert known_bad["Name"] == "AWSManagedRulesKnownBadInputsRuleSet"
    priorities = [rule["Priority"] for rule in rules.values()]
    assert len(set(priorities)) == len(priorities)


def test_dash_serves_its_callbacks_at_the_path_the_waf_exempts() -> None:
    import dash

    app = dash.Dash(__name__)
    routes = {rule.rule for rule in app.server.url_map.iter_rules()}
    assert DASH_CALLBACK_PATH in routes


def test_access_logs_go_to_a_private_tls_only_bucket_that_expires_them(
    web: dict[str, Any],
) -> None:
    attributes = {
        a["Key"]: a["Value"] for a in props(web, "LoadBalancer")["LoadBalancerAttributes"]
    }
    assert attributes["access_logs.s3.enabled"] == "true"
    assert attributes["access_logs.s3.bucket"] == {"Ref": "AccessLogBucket"}
    assert resource(web, "LoadBalancer")["DependsOn"] == "AccessLogBucketPolicy"
    bucket = props(web, "AccessLogBucket")
    (encryption,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    # The only encryption Elastic Load Balancing delivers logs to (not aws:kms).
    assert encryption == {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    (expiry,) = bucket["LifecycleConfiguration"]["Rules"]
    assert expiry["ExpirationInDays"] == {"Ref": "AccessLogRetentionDays"}
    statements = {
        s["Sid"]: s for s in props(web, "AccessLogBucketPolicy")["PolicyDocument"]["Statement"]
    }
    assert statements["TlsOnly"]["Effect"] == "Deny"
    assert statements["TlsOnly"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    delivery = statements["LoadBalancerLogDelivery"]
    assert delivery["Action"] == "s3:PutObject"
    assert delivery["Principal"]["Service"] == "logdelivery.elasticloadbalancing.amazonaws.com"
    assert delivery["Resource"] == {"Fn::Sub": "${AccessLogBucket.Arn}/AWSLogs/${AWS::AccountId}/*"}


def test_the_log_delivery_account_is_granted_in_exactly_the_mapped_regions(
    web: dict[str, Any],
) -> None:
    mapped = set(web["Mappings"]["ElbLogDeliveryAccount"])
    in_conditions = {
        test["Fn::Equals"][1]
        for name in ("ElbLogAccountRegionA", "ElbLogAccountRegionB", "ElbLogAccountRegionC")
        for test in web["Conditions"][name]["Fn::Or"]
    }
    assert in_conditions == mapped
    assert {"us-east-1", "eu-west-1"} <= mapped
    assert all(
        len(entry["Id"]) == 12 for entry in web["Mappings"]["ElbLogDeliveryAccount"].values()
    )


def test_the_template_task_definition_runs_the_image_tag_it_is_given(web: dict[str, Any]) -> None:
    (container,) = props(web, "TaskDefinition")["ContainerDefinitions"]
    assert container["Image"] == {"Fn::Sub": "${Repository.RepositoryUri}:${ImageTag}"}


def test_the_store_alarm_counts_the_warnings_the_dashboard_really_logs(
    web: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """Tasks stay ready through a store outage, so the alarm watches the app's own log lines:
    the filter's terms must be in what `dashboard.dynamo.describe` writes for both faults."""
    from botocore.exceptions import ClientError, EndpointConnectionError

    from dashboard import dynamo

    refused = ClientError({"Error": {"Code": "AccessDeniedException"}}, "Query")
    with caplog.at_level("WARNING", logger="dashboard.dynamo"):
        dynamo.describe(EndpointConnectionError(endpoint_url="http://x"), "snapshots")
        dynamo.describe(refused, "snapshots")
    unreachable, refusal = (record.getMessage() for record in caplog.records)

    pattern = props(web, "StoreErrorsMetricFilter")["FilterPattern"]
    terms = [term.strip('?"') for term in pattern.split(' ?"')]
    assert terms == ["snapshot store unreachable", "snapshot store refused a request"]
    assert terms[0] in unreachable
    assert terms[1] in refusal

    alarm = props(web, "StoreUnreachableAlarm")
    (metric,) = props(web, "StoreErrorsMetricFilter")["MetricTransformations"]
    assert (alarm["Namespace"], alarm["MetricName"]) == (
        metric["MetricNamespace"],
        metric["MetricName"],
    )
    assert (alarm["Period"] * alarm["EvaluationPeriods"], alarm["TreatMissingData"]) == (
        600,
        "notBreaching",
    )
