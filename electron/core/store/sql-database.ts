// A promise face over @journeyapps/sqlcipher (the node-sqlite3 API with SQLCipher inside).
// Every statement runs through one queue, so a transaction is never interleaved with other work.
import sqlcipher from '@journeyapps/sqlcipher'

export type SqlValue = string | number | bigint | null | Buffer
export type SqlParams = SqlValue[] | Record<string, SqlValue>
export type Row = Record<string, unknown>

/** The statements a transaction body may run: the same as the database's, without queueing. */
export interface SqlExecutor {
  run(sql: string, params?: SqlParams): Promise<{ changes: number; lastId: number }>
  get<T = Row>(sql: string, params?: SqlParams): Promise<T | undefined>
  all<T = Row>(sql: string, params?: SqlParams): Promise<T[]>
  exec(sql: string): Promise<void>
}

class RawExecutor implements SqlExecutor {
  constructor(private readonly db: sqlcipher.Database) {}

  run(sql: string, params: SqlParams = []): Promise<{ changes: number; lastId: number }> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function (this: sqlcipher.RunResult, error: Error | null) {
        if (error) reject(error)
        else resolve({ changes: this.changes, lastId: this.lastID })
      })
    })
  }

  get<T = Row>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.db.get(sql, params, (error: Error | null, row: T | undefined) =>
        error ? reject(error) : resolve(row),
      )
    })
  }

  all<T = Row>(sql: string, params: SqlParams = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.db.all(sql, params, (error: Error | null, rows: T[]) =>
        error ? reject(error) : resolve(rows),
      )
    })
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.exec(sql, (error: Error | null) => (error ? reject(error) : resolve()))
    })
  }
}

export class SqlDatabase implements SqlExecutor {
  private queue: Promise<unknown> = Promise.resolve()
  private readonly raw: RawExecutor

  private constructor(private readonly db: sqlcipher.Database) {
    this.raw = new RawExecutor(db)
  }

  static open(path: string): Promise<SqlDatabase> {
    return new Promise((resolve, reject) => {
      const mode = sqlcipher.OPEN_READWRITE | sqlcipher.OPEN_CREATE
      const db: sqlcipher.Database = new sqlcipher.Database(path, mode, (error: Error | null) =>
        error ? reject(error) : resolve(new SqlDatabase(db)),
      )
    })
  }

  run(sql: string, params?: SqlParams): Promise<{ changes: number; lastId: number }> {
    return this.enqueue(() => this.raw.run(sql, params))
  }

  get<T = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.enqueue(() => this.raw.get<T>(sql, params))
  }

  all<T = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.enqueue(() => this.raw.all<T>(sql, params))
  }

  exec(sql: string): Promise<void> {
    return this.enqueue(() => this.raw.exec(sql))
  }

  /** Runs `body` inside BEGIN IMMEDIATE … COMMIT; any throw rolls the whole body back. */
  transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      await this.raw.exec('BEGIN IMMEDIATE')
      try {
        const result = await body(this.raw)
        await this.raw.exec('COMMIT')
        return result
      } catch (error) {
        await this.raw.exec('ROLLBACK').catch(() => undefined)
        throw error
      }
    })
  }

  close(): Promise<void> {
    return this.enqueue(
      () =>
        new Promise<void>((resolve, reject) =>
          this.db.close((error: Error | null) => (error ? reject(error) : resolve())),
        ),
    )
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task)
    this.queue = result.catch(() => undefined)
    return result
  }
}
