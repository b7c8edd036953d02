//! STS `AssumeRoleWithWebIdentity`, called by hand from the browser: the second half of the
//! identity pool's basic flow, which guests take in the cloud (see `ClientConfig::guest_role_arn`).
//!
//! STS speaks the query protocol: a form-encoded POST, answered in XML. The answer is read by
//! [`element_text`] rather than an XML crate: it is a fixed, flat document, and every crate is
//! paid for in the wasm every visitor downloads.

use super::issued::IssuedCredentials;
use crate::error::{AppError, ErrorCode};

/// The browser's role session name, as it shows in CloudTrail.
const ROLE_SESSION_NAME: &str = "stratus-guest";

pub async fn assume_role_with_web_identity(
    endpoint: &str,
    role_arn: &str,
    open_id_token: &str,
) -> Result<IssuedCredentials, AppError> {
    let response = gloo_net::http::Request::post(endpoint)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form_body(role_arn, open_id_token))
        .map_err(|e| AppError::network(e.to_string()))?
        .send()
        .await
        .map_err(|e| AppError::network(format!("STS did not answer: {e}")))?;
    let text = response
        .text()
        .await
        .map_err(|e| AppError::network(e.to_string()))?;
    read_answer(&text)
}

/// The request: the identity pool's OpenID token, for the guest role.
pub fn form_body(role_arn: &str, open_id_token: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("Action", "AssumeRoleWithWebIdentity")
        .append_pair("Version", "2011-06-15")
        .append_pair("RoleArn", role_arn)
        .append_pair("RoleSessionName", ROLE_SESSION_NAME)
        .append_pair("WebIdentityToken", open_id_token)
        .finish()
}

/// The credentials in an `AssumeRoleWithWebIdentityResponse`, or the refusal in an
/// `ErrorResponse`, in words.
pub fn read_answer(xml: &str) -> Result<IssuedCredentials, AppError> {
    if let Some(code) = element_text(xml, "Code") {
        let message = element_text(xml, "Message").unwrap_or_default();
        return Err(AppError::unavailable(format!(
            "Guest access is refused by AWS ({code}: {message}). Please try again later."
        )));
    }
    let field = |name: &str| {
        element_text(xml, name).ok_or_else(|| {
            AppError::internal_because(
                ErrorCode::UnreadableAnswer,
                format!("STS's answer could not be read: it has no {name}."),
            )
        })
    };
    let expiration = field("Expiration")?;
    Ok(IssuedCredentials {
        access_key_id: field("AccessKeyId")?,
        secret_key: field("SecretAccessKey")?,
        session_token: field("SessionToken")?,
        expiration: seconds_since_epoch(&expiration).ok_or_else(|| {
            AppError::internal_because(
                ErrorCode::UnreadableAnswer,
                format!(
                    "STS's answer could not be read: the expiration {expiration:?} is not a UTC time."
                ),
            )
        })?,
    })
}

/// The text of the first `<name>` element, unescaped. Enough for AWS's flat answers: no
/// attributes on the elements read, no CDATA.
fn element_text(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{name}>"))?;
    let text = &xml[start..end];
    Some(
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// `2026-11-24T21:07:30Z` (STS writes UTC, sometimes with fractional seconds, which are
/// dropped: integers only, since float parsing costs the bundle 20 KB) as seconds since the
/// Unix epoch.
fn seconds_since_epoch(utc: &str) -> Option<f64> {
    let utc = utc.strip_suffix('Z')?;
    let (date, time) = utc.split_once('T')?;
    let mut date = date.splitn(3, '-').map(str::parse::<i64>);
    let (year, month, day) = (date.next()?.ok()?, date.next()?.ok()?, date.next()?.ok()?);
    let time = time
        .split_once('.')
        .map_or(Some(time), |(whole, fraction)| {
            fraction
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then_some(whole)
        })?;
    let mut time = time.splitn(3, ':').map(str::parse::<i64>);
    let (hour, minute, second) = (time.next()?.ok()?, time.next()?.ok()?, time.next()?.ok()?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    Some((days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second) as f64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    // The shape of STS's documented answer, with a session token that needs unescaping.
    const ANSWER: &str = r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>us-east-1:0ac2f3bc-0000-4d4e-9c1a-222222222222</SubjectFromWebIdentityToken>
    <Audience>us-east-1:11111111-2222-3333-4444-555555555555</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/stratus-GuestRole/stratus-guest</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:stratus-guest</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE&amp;/token=</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <Expiration>2026-11-24T21:07:30Z</Expiration>
      <AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>
    </Credentials>
    <Provider>cognito-identity.amazonaws.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>"#;

    #[test]
    fn the_credentials_are_read_from_the_answer() {
        let credentials = read_answer(ANSWER).unwrap();
        assert_eq!(credentials.access_key_id, "ASgeIAIOSFODNN7EXAMPLE");
        assert_eq!(
            credentials.secret_key,
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
        );
        assert_eq!(
            credentials.session_token,
            "AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE&/token="
        );
        assert_eq!(credentials.expiration, 1_795_554_450.0);
    }

    #[test]
    fn a_refusal_is_said_in_words() {
        let refusal = r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>
            <Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error>
            <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>"#;
        let error = read_answer(refusal).unwrap_err().to_string();
        assert!(
            error.contains("AccessDenied") && error.contains("Not authorized"),
            "{error}"
        );
        let truncated = read_answer(
            "<AssumeRoleWithWebIdentityResponse><Credentials><AccessKeyId>A</AccessKeyId>",
        )
        .unwrap_err();
        assert!(
            truncated.to_string().contains("no Expiration"),
            "{truncated}"
        );
    }

    #[test]
    fn utc_times_become_seconds_since_the_epoch() {
        assert_eq!(seconds_since_epoch("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(
            seconds_since_epoch("2000-03-01T00:00:00Z"),
            Some(951_868_800.0)
        );
        assert_eq!(
            seconds_since_epoch("2024-02-29T12:30:15.5Z"),
            Some(1_709_209_815.0)
        );
        assert_eq!(seconds_since_epoch("2024-02-29T12:30:15.x5Z"), None);
        assert_eq!(
            seconds_since_epoch("2026-11-24T21:07:30"),
            None,
            "no zone: not UTC"
        );
        assert_eq!(seconds_since_epoch("2026-13-01T00:00:00Z"), None);
        assert_eq!(seconds_since_epoch("yesterday"), None);
    }

    #[test]
    fn the_request_is_form_encoded() {
        let body = form_body(
            "arn:aws:iam::123456789012:role/stratus-GuestRole",
            "eyJ+token/=",
        );
        assert_eq!(
            body,
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15\
             &RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fstratus-GuestRole\
             &RoleSessionName=stratus-guest&WebIdentityToken=eyJ%2Btoken%2F%3D"
        );
    }
}
