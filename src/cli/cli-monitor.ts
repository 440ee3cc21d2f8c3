// The entry of `monitor run`'s own build (scripts/bundles.mjs): the same start as every command; what differs is how
// the build packs it.
import './start.js';
