/**
 * The shape of one slice of the renderer store (zustand's slices pattern). A slice is typed by its
 * own fields only, so it cannot read or write another slice's: the store in ./index.ts passes each
 * slice the one store's `set` and `get`, which fit these narrower types. `Also` names the fields of
 * another slice one may write too, where both must change in one update (ceremony-run.ts).
 */

/** Writes some of a slice's fields, as zustand's `set` does without `replace`. */
export type SliceSet<S> = (partial: Partial<S> | ((state: S) => Partial<S>)) => void;

/** Makes a slice's initial fields and its actions. */
export type SliceCreator<S, Also = unknown> = (set: SliceSet<S & Also>, get: () => S & Also) => S;
