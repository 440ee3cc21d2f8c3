// The entry of the top-level help's and the version's own build (scripts/bundles.mjs): the same start as every
// command; what differs is how the build packs it.
import './start.js';
