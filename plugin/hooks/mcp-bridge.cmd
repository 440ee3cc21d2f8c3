@echo off
rem The plugin's MCP server as Claude Code starts it on Windows (Linux and macOS run mcp-bridge): node's bridge, by the
rem node.exe on the PATH. Never one in the session's folder, which Windows looks in first for a bare program name.
setlocal
set "TASKHOOKS_NODE="
for %%I in (node.exe) do set "TASKHOOKS_NODE=%%~$PATH:I"
if not defined TASKHOOKS_NODE (
  echo taskhooks mcp bridge: node.exe is not on the PATH. Install Node.js 22.13 or later, then start Claude Code again. 1>&2
  exit /b 1
)
"%TASKHOOKS_NODE%" "%~dp0..\dist\mcp-bridge.js" %*
