export function CeremonyScreen() {
  return <section aria-labelledby="ceremony-title"><h1 id="ceremony-title">Ceremony</h1></section>;
}
