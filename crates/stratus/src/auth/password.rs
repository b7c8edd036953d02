//! The user pool's password policy, written once: provisioning creates the pool with it, and
//! the sign-up and reset forms show it and check it as the user types.

#[derive(Debug, Clone, Copy)]
pub struct PasswordPolicy {
    pub min_length: usize,
    pub require_lowercase: bool,
    pub require_uppercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
}

pub const POLICY: PasswordPolicy = PasswordPolicy {
    min_length: 8,
    require_lowercase: true,
    require_uppercase: true,
    require_numbers: true,
    require_symbols: false,
};

impl PasswordPolicy {
    /// Each rule in words, with whether `password` meets it.
    pub fn check(&self, password: &str) -> Vec<(String, bool)> {
        let mut rules = vec![(
            format!("at least {} characters", self.min_length),
            password.chars().count() >= self.min_length,
        )];
        if self.require_lowercase {
            rules.push((
                "a lowercase letter".into(),
                password.chars().any(char::is_lowercase),
            ));
        }
        if self.require_uppercase {
            rules.push((
                "an uppercase letter".into(),
                password.chars().any(char::is_uppercase),
            ));
        }
        if self.require_numbers {
            rules.push((
                "a number".into(),
                password.chars().any(|c| c.is_ascii_digit()),
            ));
        }
        if self.require_symbols {
            rules.push((
                "a symbol".into(),
                password.chars().any(|c| c.is_ascii_punctuation()),
            ));
        }
        rules
    }

    /// Why `password` is refused, or `None` when it meets every rule.
    pub fn refusal(&self, password: &str) -> Option<String> {
        let missing: Vec<String> = self
            .check(password)
            .into_iter()
            .filter(|(_, met)| !met)
            .map(|(rule, _)| rule)
            .collect();
        (!missing.is_empty()).then(|| format!("The password needs {}.", missing.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_missing_rule_is_named() {
        assert_eq!(POLICY.refusal("Correct-horse-9"), None);
        assert_eq!(
            POLICY.refusal("abc").unwrap(),
            "The password needs at least 8 characters, an uppercase letter, a number."
        );
        assert_eq!(
            POLICY.refusal("ABCDEFGH1").unwrap(),
            "The password needs a lowercase letter."
        );
    }
}
