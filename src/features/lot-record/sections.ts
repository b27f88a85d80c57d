// The sections of a lot record, in the order it reads. This list is the one place a section is added.
import type { AnySection } from './section.js';
import { auditSection, gatesSection, routingSection, signaturesSection, workOrderSection } from './record-sections.js';
import { genealogySection } from './genealogy-section.js';
import { changeoverSection, oeeSection, operationsSection, scrapSection, shiftReportSection, stopsSection } from './production-sections.js';

export const LOT_RECORD_SECTIONS: readonly AnySection[] = [
  workOrderSection,
  routingSection,
  operationsSection,
  oeeSection,
  stopsSection,
  changeoverSection,
  scrapSection,
  shiftReportSection,
  genealogySection,
  gatesSection,
  signaturesSection,
  auditSection,
];
