// The network stack's single entry point. Hooks load it (as dist/network.js) only when a live fetch is needed,
// so the SDK, openid-client and full zod never cost a cache hit anything.
export {};
