// The kinds of record an electronic signature can bind to, each read by the feature that owns it:
// auth hashes what these return when a signature is recorded and again when it is shown, so a
// record edited after signing shows its signatures as no longer valid. Handed to auth (recording)
// and records (reading) where the app is assembled; auth, below these features, imports none of them.
import type { SignedContentReaders } from '../features/auth/signatures.js';
import { calendarSignedContent } from '../features/calendar/service.js';
import * as oeeRepo from '../features/oee/repository.js';
import { ORDER_SIGNED_CONTENT } from '../features/orders/signed-content.js';
import { SHIFT_LOG_ENTITY, shiftLogSignedContent } from '../features/operator-input/shift-log.js';
import { PERIODIC_REVIEW_ENTITY, periodicSignedContent } from '../features/release-review/periodic.js';

export const SIGNED_CONTENT: SignedContentReaders = {
  calendar: calendarSignedContent,
  // an OEE profile is signed as a whole, at its version
  'oee-profile': async (db, key) => {
    const stored = await oeeRepo.getProfile(db, key);
    return stored && { version: stored.profile.version, content: stored.profile };
  },
  ...ORDER_SIGNED_CONTENT,
  // a shift report is signed for what the operators reported in it (notes, crew, scrap, stop reasons)
  [SHIFT_LOG_ENTITY]: shiftLogSignedContent,
  // a quarter's periodic review is signed for exactly the audit entries it covered, at its version
  [PERIODIC_REVIEW_ENTITY]: periodicSignedContent,
};
