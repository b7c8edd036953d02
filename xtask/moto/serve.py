"""The moto server, with CloudFormation support for the resource types Stratus's template uses
that moto 5.2.5 skips (it creates the rest itself): Cognito user pools, app clients, groups and
identity pools, and Lambda function URLs. Each is created in moto's own backend for that
service, so the stack's resources answer their services' APIs like the rest.

Also CloudFront distributions and origin access controls, in moto's CloudFront backend.
Still skipped, with moto's warning: S3 bucket policies and identity pool role attachments.

Run as `python serve.py <moto_server arguments>`.
"""

import sys
from typing import Any

from moto.cloudformation.parsing import get_model_map
from moto.core.common_models import CloudFormationModel


class _Resource:
    """A resource created in a moto backend; `id` is what `Ref` gives. (A mixin: moto finds
    CloudFormation models among the direct subclasses of CloudFormationModel.) A subclass names
    its CloudFormation type in `cfn_type` and the attributes `Fn::GetAtt` may read in
    `cfn_attributes`."""

    cfn_type: str
    cfn_attributes: list[str] = []
    attributes: dict[str, Any] = {}

    def __init_subclass__(cls, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        cls.__module__ = "moto.stratus"  # moto files models by the service in their module path

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.cfn_type

    def __init__(self, id: str, attributes: dict[str, Any]):
        self.id = id
        self.attributes = attributes

    @property
    def physical_resource_id(self) -> str:
        return self.id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.cfn_attributes

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        return self.attributes[attribute_name]

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):  # noqa: E501
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):  # noqa: E501
        pass


class UserPool(_Resource, CloudFormationModel):
    cfn_type = "AWS::Cognito::UserPool"
    cfn_attributes = ["Arn", "ProviderName", "UserPoolId"]

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):  # noqa: E501
        from moto.cognitoidp.models import cognitoidp_backends

        properties = dict(cloudformation_json.get("Properties", {}))
        name = properties.pop("UserPoolName", resource_name)
        pool = cognitoidp_backends[account_id][region_name].create_user_pool(name, properties)
        provider = f"cognito-idp.{region_name}.amazonaws.com/{pool.id}"
        return cls(pool.id, {"Arn": pool.arn, "ProviderName": provider, "UserPoolId": pool.id})


class UserPoolClient(_Resource, CloudFormationModel):
    cfn_type = "AWS::Cognito::UserPoolClient"
    cfn_attributes = ["ClientId", "Name"]

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):  # noqa: E501
        from moto.cognitoidp.models import cognitoidp_backends

        properties = dict(cloudformation_json.get("Properties", {}))
        pool_id = properties.pop("UserPoolId")
        secret = bool(properties.pop("GenerateSecret", False))
        client = cognitoidp_backends[account_id][region_name].create_user_pool_client(pool_id, secret, properties)
        return cls(client.id, {"ClientId": client.id, "Name": properties.get("ClientName", "")})


class UserPoolGroup(_Resource, CloudFormationModel):
    cfn_type = "AWS::Cognito::UserPoolGroup"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):  # noqa: E501
        from moto.cognitoidp.models import cognitoidp_backends

        properties = cloudformation_json.get("Properties", {})
        name = properties.get("GroupName", resource_name)
        cognitoidp_backends[account_id][region_name].create_group(
            properties["UserPoolId"], name, properties.get("Description"), properties.get("RoleArn"), properties.get("Precedence")
        )
        return cls(name, {})


class IdentityPool(_Resource, CloudFormationModel):
    cfn_type = "AWS::Cognito::IdentityPool"
    cfn_attributes = ["Name"]

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):  # noqa: E501
        import json

        from moto.cognitoidentity.models import cognitoidentity_backends

        properties = cloudformation_json.get("Properties", {})
        name = properties.get("IdentityPoolName", resource_name)
        created = cognitoidentity_backends[account_id][region_name].create_identity_pool(
            identity_pool_name=name,
            allow_unauthenticated_identities=bool(properties.get("AllowUnauthenticatedIdentities", False)),
            supported_login_providers=properties.get("SupportedLoginProviders", {}),
            developer_provider_name=properties.get("DeveloperProviderName", ""),
            open_id_connect_provider_arns=properties.get("OpenIdConnectProviderARNs", []),
            cognito_identity_providers=properties.get("CognitoIdentityProviders", []),
            saml_provider_arns=properties.get("SamlProviderARNs", []),
            tags={},
        )
        pool_id = json.loads(created)["IdentityPoolId"]
        return cls(pool_id, {"Name": name})


class FunctionUrl(_Resource, CloudFormationModel):
    cfn_type = "AWS::Lambda::Url"
    cfn_attributes = ["FunctionArn", "FunctionUrl"]

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):  # noqa: E501
        from moto.awslambda.models import lambda_backends

        properties = dict(cloudformation_json.get("Properties", {}))
        function = properties.pop("TargetFunctionArn")
        config = lambda_backends[account_id][region_name].create_function_url_config(function, properties)
        arn = config.function.function_arn
        return cls(arn, {"FunctionArn": arn, "FunctionUrl": config.url + "/"})


class OriginAccessControl(_Resource, CloudFormationModel):
    cfn_type = "AWS::CloudFront::OriginAccessControl"
    cfn_attributes = ["Id"]

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):  # noqa: E501
        from moto.cloudfront.models import cloudfront_backends

        config = cloudformation_json["Properties"]["OriginAccessControlConfig"]
        control = cloudfront_backends[account_id]["global"].create_origin_access_control(dict(config))
        return cls(control.id, {"Id": control.id})


class ResponseHeadersPolicy(_Resource, CloudFormationModel):
    """moto's CloudFront has no response headers policies: the resource is accepted and given an
    id, so the rest of the template deploys. What the policy says is checked by cfn-lint and the
    template's own tests, not here."""

    cfn_type = "AWS::CloudFront::ResponseHeadersPolicy"
    cfn_attributes = ["Id"]

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):  # noqa: E501
        import uuid

        policy_id = str(uuid.uuid4())
        return cls(policy_id, {"Id": policy_id})


class Distribution(_Resource, CloudFormationModel):
    cfn_type = "AWS::CloudFront::Distribution"
    cfn_attributes = ["DomainName", "Id"]

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):  # noqa: E501
        import uuid

        from moto.cloudfront.models import cloudfront_backends

        # CloudFormation's lists are the API's {"Quantity", "Items"} structures.
        config = dict(cloudformation_json["Properties"]["DistributionConfig"])
        config["CallerReference"] = str(uuid.uuid4())
        config["Origins"] = {"Quantity": len(config["Origins"]), "Items": config["Origins"]}
        errors = config.pop("CustomErrorResponses", [])
        config["CustomErrorResponses"] = {"Quantity": len(errors), "Items": errors}
        behavior = dict(config["DefaultCacheBehavior"])
        methods = behavior.pop("AllowedMethods", ["GET", "HEAD"])
        behavior["AllowedMethods"] = {"Quantity": len(methods), "Items": methods}
        config["DefaultCacheBehavior"] = behavior
        distribution, _, _ = cloudfront_backends[account_id]["global"].create_distribution(config, [])
        return cls(distribution.distribution_id, {"DomainName": distribution.domain_name, "Id": distribution.distribution_id})


def _outputs_after_change_sets() -> None:
    """moto works out a stack's outputs from the template the stack had before the change set
    (none, for a new stack) and keeps them: a stack created through a change set reports no
    outputs. Work them out again from the template the change set put in place."""
    from moto.cloudformation.models import CloudFormationBackend

    execute = CloudFormationBackend.execute_change_set

    def execute_then_refresh_outputs(self, change_set_name, stack_name=None):
        execute(self, change_set_name, stack_name)
        for stack in self.stacks.values():
            if stack.name == stack_name or stack.stack_id == stack_name:
                stack._parse_template()
                stack.output_map = stack._create_output_map()

    CloudFormationBackend.execute_change_set = execute_then_refresh_outputs


if __name__ == "__main__":
    _outputs_after_change_sets()
    # The model map is cached: make sure it is built after the classes above exist.
    get_model_map.cache_clear()
    from moto.server import main

    main(sys.argv[1:])
