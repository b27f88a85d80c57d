// Drops a test plant's database (it was created by the instances themselves).
export async function dropTestDatabase(dialect: 'postgres' | 'mysql', url: string): Promise<void> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.slice(1));
  if (dialect === 'postgres') {
    const { default: pg } = await import('pg');
    parsed.pathname = '/postgres';
    const client = new pg.Client({ connectionString: parsed.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
    await client.end();
  } else {
    const mysql = await import('mysql2/promise');
    const conn = await mysql.createConnection({ host: parsed.hostname, port: Number(parsed.port || 3306), user: parsed.username || 'root', password: parsed.password });
    await conn.query(`DROP DATABASE IF EXISTS \`${name.replace(/`/g, '``')}\``);
    await conn.end();
  }
}
