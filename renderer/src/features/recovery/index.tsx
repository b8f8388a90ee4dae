export function RecoveryScreen() {
  return <section aria-labelledby="recovery-title"><h1 id="recovery-title">Recovery</h1></section>;
}
