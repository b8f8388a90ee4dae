/**
 * The shape of one slice of the renderer store (zustand's slices pattern). A slice is typed by its
 * own fields only, so it cannot read or write another slice's: the store in ./index.ts passes each
 * slice the one store's `set`, `get` and a `request` (request.ts) writing into it, which fit these
 * narrower types. `Also` names the fields of another slice one may write too, where both must change
 * in one update (ceremony-run.ts).
 */
import type { Request, SliceSet } from './request';

export type { SliceSet } from './request';

/** Makes a slice's initial fields and its actions. */
export type SliceCreator<S, Also = unknown> = (set: SliceSet<S & Also>, get: () => S & Also, request: Request<S & Also>) => S;
