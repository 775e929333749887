# A live app for the live-writer test: commits transactions in WAL mode, each keeping the invariants
# the test checks, and checkpoints often (PASSIVE, FULL, RESTART and TRUNCATE mixed), until a line
# (or end of file) arrives on stdin. SyncLens reads without locks or -shm, so this writer never
# waits for it: checkpoints copy and restart the log under SyncLens's feet, as a real app's do.
#
# Invariants, per committed state:
# - accounts: the balances always sum to ACCOUNTS * START_BALANCE (each transaction moves an amount);
# - ledger: exactly KEPT_BATCHES batches, numbered meta.seq - KEPT_BATCHES + 1 .. meta.seq; each holds
#   BATCH_ROWS rows with ids batch * BATCH_ROWS + 0..BATCH_ROWS-1 whose amounts sum to BATCH_TOTAL, and
#   each note is note_length characters long (some notes overflow onto overflow pages).
#
# stdout: "ready <seq>" once the database exists, then "checkpoint <MODE> <seq>" after each checkpoint,
# then "stopped <seq> <checkpoints>".
import random
import sqlite3
import sys
import threading

path = sys.argv[1]
ACCOUNTS, START_BALANCE, BATCH_ROWS, BATCH_TOTAL, KEPT_BATCHES = (int(value) for value in sys.argv[2:7])
rng = random.Random(int(sys.argv[7]))
CHECKPOINT_MODES = ['PASSIVE', 'FULL', 'RESTART', 'TRUNCATE']

stop = threading.Event()


def wait_for_stop():
    sys.stdin.readline()
    stop.set()


threading.Thread(target=wait_for_stop, daemon=True).start()

db = sqlite3.connect(path, isolation_level=None)
db.execute('PRAGMA journal_mode=WAL')
db.execute('PRAGMA wal_autocheckpoint=0')
db.execute('PRAGMA synchronous=NORMAL')


def note():
    # Mostly short rows, now and then one that spills onto overflow pages.
    length = rng.choice([rng.randint(0, 300), rng.randint(300, 1500), rng.randint(5000, 9000)])
    return rng.randbytes(length // 2 + 1).hex()[:length]


def insert_batch(batch):
    amounts = [rng.randint(-500, 500) for _ in range(BATCH_ROWS - 1)]
    amounts.append(BATCH_TOTAL - sum(amounts))
    for index, amount in enumerate(amounts):
        text = note()
        db.execute(
            'INSERT INTO ledger(id, batch, amount, note, note_length) VALUES (?, ?, ?, ?, ?)',
            (batch * BATCH_ROWS + index, batch, amount, text, len(text)),
        )


db.execute('BEGIN IMMEDIATE')
db.execute('CREATE TABLE accounts(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)')
db.execute('CREATE TABLE ledger(id INTEGER PRIMARY KEY, batch INTEGER NOT NULL, amount INTEGER NOT NULL, note TEXT NOT NULL, note_length INTEGER NOT NULL)')
db.execute('CREATE INDEX ledger_batch ON ledger(batch)')
db.execute('CREATE TABLE meta(key TEXT PRIMARY KEY, seq INTEGER NOT NULL)')
db.executemany('INSERT INTO accounts(id, balance) VALUES (?, ?)', [(account, START_BALANCE) for account in range(ACCOUNTS)])
for batch in range(1, KEPT_BATCHES + 1):
    insert_batch(batch)
seq = KEPT_BATCHES
db.execute("INSERT INTO meta(key, seq) VALUES ('seq', ?)", (seq,))
db.execute('COMMIT')
print(f'ready {seq}', flush=True)

checkpoints = 0
until_checkpoint = rng.randint(4, 24)
while not stop.is_set():
    db.execute('BEGIN IMMEDIATE')
    source, target = rng.sample(range(ACCOUNTS), 2)
    amount = rng.randint(1, 100)
    db.execute('UPDATE accounts SET balance = balance - ? WHERE id = ?', (amount, source))
    db.execute('UPDATE accounts SET balance = balance + ? WHERE id = ?', (amount, target))
    seq += 1
    insert_batch(seq)
    db.execute('DELETE FROM ledger WHERE batch = ?', (seq - KEPT_BATCHES,))
    db.execute("UPDATE meta SET seq = ? WHERE key = 'seq'", (seq,))
    db.execute('COMMIT')
    until_checkpoint -= 1
    if until_checkpoint == 0:
        mode = rng.choice(CHECKPOINT_MODES)
        db.execute(f'PRAGMA wal_checkpoint({mode})').fetchall()
        checkpoints += 1
        print(f'checkpoint {mode} {seq}', flush=True)
        until_checkpoint = rng.randint(4, 24)

db.close()
print(f'stopped {seq} {checkpoints}', flush=True)
