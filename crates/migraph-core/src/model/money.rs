//! Money amounts: a whole number of currency units and an ISO 4217 code.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An amount of money as the text states it: no conversion between currencies.
///
/// Amounts are whole units (`€1.25bn` → 1 250 000 000 EUR); fractions of a unit
/// are rounded away, which bulletins never state anyway.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Whole units of `currency`.
    pub amount: u64,
    /// ISO 4217 code: `EUR`, `USD`, `GBP`, `CHF`…
    pub currency: String,
}

impl Money {
    /// An amount in euros.
    pub fn eur(amount: u64) -> Money {
        Money { amount, currency: "EUR".to_owned() }
    }

    /// The `amount_eur` column of the gold format: `200000000` for euros,
    /// `50000000 USD` for any other currency.
    pub fn to_gold(&self) -> String {
        if self.currency == "EUR" {
            self.amount.to_string()
        } else {
            format!("{} {}", self.amount, self.currency)
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_gold_form_names_foreign_currency_only() {
        assert_eq!(Money::eur(200_000_000).to_gold(), "200000000");
        let usd = Money { amount: 50_000_000, currency: "USD".into() };
        assert_eq!(usd.to_gold(), "50000000 USD");
    }
}
