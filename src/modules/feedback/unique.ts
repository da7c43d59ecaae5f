import { conflict } from '../../errors.js';

/**
 * Turns a unique-constraint violation (Prisma P2002) into CONFLICT. The services check names
 * first for a friendly issue; this covers two concurrent writers that both passed the check.
 */
export async function conflictOnDuplicate<T>(write: Promise<T>, message: string): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if ((error as { code?: unknown })?.code === 'P2002') throw conflict(message);
    throw error;
  }
}
