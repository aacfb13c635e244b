// The keystore in a file, for the `libsql-authz` CLI (Node only): read, atomic write,
// and `updateKeystore` (lock + read + change + write), so a command that fails leaves
// the file exactly as it was. What a keystore holds and how it changes: keystore.js.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { KeystoreError, emptyKeystore, parseKeystore } from './keystore.js';

export const DEFAULT_KEYSTORE_PATH = 'libsql-authz.keystore.json';

/** Reads the keystore at `file`; a missing file is an empty keystore. */
export function readKeystore(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return emptyKeystore();
    throw new KeystoreError('ERR_KEYSTORE_IO', `cannot read keystore ${file}: ${err.message}`);
  }
  return parseKeystore(text);
}

/**
 * Writes the keystore atomically: a temporary file in the same directory (mode 0600),
 * fsync, rename over `file`, fsync of the directory. On any failure the old file is
 * untouched and the temporary file removed.
 */
export function writeKeystore(file, ks) {
  const text = `${JSON.stringify(parseKeystore(JSON.stringify(ks)), null, 2)}\n`;
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`,
  );
  let fd;
  try {
    fd = fs.openSync(tmp, 'wx', 0o600);
    fs.fchmodSync(fd, 0o600); // whatever the umask says
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined)
      try {
        fs.closeSync(fd);
      } catch {
        /* already failing */
      }
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* may not exist */
    }
    throw new KeystoreError('ERR_KEYSTORE_IO', `cannot write keystore ${file}: ${err.message}`);
  }
  try {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    /* directory fsync is not supported everywhere (Windows); the rename is done */
  }
}

/**
 * Lock, read, change, write. `change(ks)` mutates the keystore and returns a result;
 * if it throws, nothing is written. The lock is a `<file>.lock` file created with O_EXCL,
 * so two CLI runs never lose each other's update.
 */
export function updateKeystore(file, change) {
  const lock = `${file}.lock`;
  let lfd;
  try {
    lfd = fs.openSync(lock, 'wx', 0o600);
  } catch (err) {
    if (err.code === 'EEXIST') {
      throw new KeystoreError(
        'ERR_KEYSTORE_LOCKED',
        `keystore ${file} is locked by another libsql-authz process (if none is running, remove ${lock})`,
      );
    }
    throw new KeystoreError('ERR_KEYSTORE_IO', `cannot lock keystore ${file}: ${err.message}`);
  }
  try {
    const ks = readKeystore(file);
    const result = change(ks);
    writeKeystore(file, ks);
    return result;
  } finally {
    fs.closeSync(lfd);
    try {
      fs.unlinkSync(lock);
    } catch {
      /* gone already */
    }
  }
}
