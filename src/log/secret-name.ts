// Names people give secrets: a key of ours, a header, an entry of a stdio server's env, a misspelt config key.
export const SECRET_NAME = /secret|token|password|passwd|authorization|api[-_]?key|credential|cookie|assertion/i;
