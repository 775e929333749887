-- Neovim (Debian's 0.7, headless) as a SyncLens language server client, for tests/lsp/neovim.test.ts.
-- It opens one .sql file with Neovim's own client capabilities and records what a user would see:
-- the first diagnostics (and how long after the didOpen they came), the completion items, the code
-- lens titles, the result of running the first statement's Run lens through Neovim's codelens
-- machinery and a synclens.sql.runStatement handler as the README shows it, then a second file's
-- first diagnostics. Everything recorded is written as JSON to $SYNCLENS_NVIM_OUT, then Neovim quits.
local server = assert(os.getenv('SYNCLENS_SERVER'), 'SYNCLENS_SERVER: the server bundle')
local sql_file = assert(os.getenv('SYNCLENS_SQL'), 'SYNCLENS_SQL: the .sql file to open')
-- Opened last, once the server's database worker is warm: its first diagnostics time is the server's own.
local second_file = assert(os.getenv('SYNCLENS_SQL_2'), 'SYNCLENS_SQL_2: a second .sql file')
local out = assert(os.getenv('SYNCLENS_NVIM_OUT'), 'SYNCLENS_NVIM_OUT: where to write the record')
local delay = os.getenv('SYNCLENS_DIAGNOSTICS_DELAY_MS')

local record = { nvim = vim.version(), errors = {} }
local opened_at = {}

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(record) }, out)
  vim.cmd('qall!')
end

local function fail(message)
  table.insert(record.errors, message)
  finish()
end

-- A run that never completes still writes what it has (the test's own timeout is the backstop).
vim.defer_fn(function() fail('timed out in Neovim') end, 20000)

-- As in the README: the Run lens's command is the client's to carry out, as synclens/runStatement.
vim.lsp.commands['synclens.sql.runStatement'] = function(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  client.request('synclens/runStatement', command.arguments[1], function(err, result)
    if err then return fail('runStatement: ' .. vim.inspect(err)) end
    record.run = result
    vim.cmd('edit ' .. vim.fn.fnameescape(second_file))
    vim.lsp.buf_attach_client(vim.api.nvim_get_current_buf(), ctx.client_id)
  end, ctx.bufnr)
end

local function run_first_lens(bufnr)
  local lenses = vim.lsp.codelens.get(bufnr)
  table.sort(lenses, function(a, b) return a.range.start.line < b.range.start.line end)
  record.lens_titles = vim.tbl_map(function(lens) return lens.command and lens.command.title end, lenses)
  -- Line 2 holds the first statement: its one lens is run as a user runs it (:lua vim.lsp.codelens.run()).
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  vim.lsp.codelens.run()
end

local function after_first_diagnostics(client, bufnr)
  local position = { line = 3, character = 7 }
  client.request('textDocument/completion', { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = position }, function(err, result)
    if err then return fail('completion: ' .. vim.inspect(err)) end
    local items = result and (result.items or result) or {}
    record.completion = vim.tbl_map(function(item)
      return { label = item.label, insertText = item.insertText or vim.NIL, insertTextFormat = item.insertTextFormat or vim.NIL,
        newText = item.textEdit and item.textEdit.newText or vim.NIL }
    end, items)
    vim.lsp.codelens.refresh()
  end, bufnr)
end

-- codelens.refresh() answers into vim.lsp.codelens.on_codelens: wrapped to run a lens once they are in.
local on_codelens = vim.lsp.codelens.on_codelens
vim.lsp.codelens.on_codelens = function(err, result, ctx, config)
  on_codelens(err, result, ctx, config)
  if err then return fail('codeLens: ' .. vim.inspect(err)) end
  if record.lens_titles == nil then vim.schedule(function() run_first_lens(ctx.bufnr) end) end
end

vim.cmd('edit ' .. vim.fn.fnameescape(sql_file))
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'synclens',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.fnamemodify(sql_file, ':h:h'),
  init_options = delay and { diagnosticsDelayMs = tonumber(delay) } or vim.empty_dict(),
  on_attach = function(_, attached) opened_at[attached] = vim.loop.hrtime() end,
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      local published = vim.uri_to_bufnr(result.uri)
      if published == bufnr and record.diagnostics == nil then
        record.first_diagnostics_ms = (vim.loop.hrtime() - opened_at[bufnr]) / 1e6
        record.diagnostics = result.diagnostics
        after_first_diagnostics(vim.lsp.get_client_by_id(ctx.client_id), bufnr)
      elseif published ~= bufnr and opened_at[published] and record.second_diagnostics == nil then
        record.second_diagnostics_ms = (vim.loop.hrtime() - opened_at[published]) / 1e6
        record.second_diagnostics = result.diagnostics
        finish()
      end
    end,
  },
})
if not client_id then fail('the language server did not start') end
record.capabilities_sent = vim.lsp.protocol.make_client_capabilities().textDocument.completion.completionItem
vim.lsp.buf_attach_client(bufnr, client_id)
