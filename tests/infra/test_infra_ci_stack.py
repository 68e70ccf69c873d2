"""infra/ci.yaml trusts exactly the OIDC claim .github/workflows/deploy.yml's deploy job sends,
and lets it do what the deploy does. (The claim as IAM stores it is rehearsed in moto by
test_infra_rehearsal.py.)"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.infra.repo import WORKFLOWS, resource, template

# AWS's documented policy for pushing an image to ECR (ECR User Guide, "Pushing an image").
ECR_PUSH_ACTIONS = {
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
}


@pytest.fixture(scope="module")
def ci() -> dict[str, Any]:
    return template("ci.yaml")


def trust(ci: dict[str, Any]) -> dict[str, Any]:
    (statement,) = resource(ci, "DeployRole")["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    return statement


def subject_templates(ci: dict[str, Any]) -> dict[str, str]:
    """The two forms of the trusted `sub`, by condition branch."""
    condition, immutable, names = trust(ci)["Condition"]["StringEquals"][
        "token.actions.githubusercontent.com:sub"
    ]["Fn::If"]
    assert condition == "ImmutableClaim"
    return {"immutable": immutable["Fn::Sub"][0], "names": names["Fn::Sub"]}


def deploy_workflow() -> dict[str, Any]:
    loaded = yaml.safe_load((WORKFLOWS / "deploy.yml").read_text())
    loaded["on"] = loaded.pop(True)
    return loaded


def test_the_role_trusts_the_claim_of_the_deploy_job() -> None:
    """A push to master without `environment:` sends `…:ref:refs/heads/master`; with an
    environment the claim would end in `:environment:NAME` and the role would refuse it."""
    workflow = deploy_workflow()
    (branch,) = workflow["on"]["push"]["branches"]
    assert "environment" not in workflow["jobs"]["deploy"]
    forms = subject_templates(template("ci.yaml"))
    assert {form.rsplit(":ref:", 1)[1] for form in forms.values()} == {f"refs/heads/{branch}"}


def test_the_immutable_form_is_the_default_and_names_the_ids_as_github_does(
    ci: dict[str, Any],
) -> None:
    """GitHub's changelog of 2026-04-23: repo:octocat-123456/my-repo-456789:ref:refs/heads/main."""
    parameters = ci["Parameters"]
    assert parameters["SubjectClaimForm"]["Default"] == "immutable"
    assert parameters["SubjectClaimForm"]["AllowedValues"] == ["immutable", "names"]
    forms = subject_templates(ci)
    assert forms["immutable"] == "repo:${Owner}-${OwnerId}/${Repo}-${RepoId}:ref:refs/heads/master"
    assert forms["names"] == "repo:${GitHubRepository}:ref:refs/heads/master"
    assert ci["Rules"]["ImmutableClaimNeedsIds"]["Assertions"][0]["Assert"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "GitHubRepositoryIds"}, ""]}]
    }


def test_no_wildcard_can_reach_the_trusted_subject(ci: dict[str, Any]) -> None:
    condition = trust(ci)["Condition"]
    assert set(condition) == {"StringEquals"}
    assert condition["StringEquals"]["token.actions.githubusercontent.com:aud"] == (
        "sts.amazonaws.com"
    )
    parameters = ci["Parameters"]
    assert parameters["GitHubRepository"]["AllowedPattern"] == (
        "[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+"
    )
    assert parameters["GitHubRepositoryIds"]["AllowedPattern"] == "|[0-9]+/[0-9]+"


def test_the_deploy_role_can_push_as_aws_documents(ci: dict[str, Any]) -> None:
    (policy,) = resource(ci, "DeployRole")["Properties"]["Policies"]
    statements = {s["Sid"]: s for s in policy["PolicyDocument"]["Statement"]}
    assert set(statements["PushDashboardImage"]["Action"]) >= ECR_PUSH_ACTIONS
