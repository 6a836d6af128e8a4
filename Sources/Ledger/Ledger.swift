/// The ledger: completions, recorded events and every reminder sent or pending.
public enum LedgerPlaceholder {}
