/**
 * A Proxmox SectionConfig file (/etc/pve/storage.cfg, jobs.cfg, the HA files) read as
 * PVE::SectionConfig::parse_config reads it (github.com/proxmox/pve-common
 * src/PVE/SectionConfig.pm, commit f665029e, read 2026-12-07):
 *
 * - `#` lines are skipped wherever they are (they neither start nor end a section);
 * - outside a section, a line `type: id` (`^(\S+):\s*(\S+)\s*$`) starts one; any other
 *   non-empty line is dropped ("ignore config line");
 * - a section runs until the first empty line (or the end): each line of it matching
 *   `^\s+(\S+)(\s+(.*\S))?\s*$` is a property, any other line (a `type: id` header too) is
 *   dropped with "(section 'id') - ignore config line". So a header only starts a section
 *   after a blank line.
 */
export interface SectionProperty {
  readonly key: string;
  /** Empty when the line has a key alone (a flag such as `sparse`). */
  readonly value: string;
  readonly line: number;
}

export interface ConfigSection {
  readonly type: string;
  readonly id: string;
  /** The header's line number (1-based). */
  readonly line: number;
  readonly properties: readonly SectionProperty[];
}

export interface IgnoredLine {
  readonly line: number;
  readonly text: string;
  /** The section it was read inside of, when it was. */
  readonly section?: string;
}

export interface SectionConfigFile {
  readonly sections: readonly ConfigSection[];
  /** Lines Proxmox drops with "ignore config line": each one a section or a property lost. */
  readonly ignored: readonly IgnoredLine[];
}

const HEADER = /^(\S+):\s*(\S+)\s*$/;
const PROPERTY = /^\s+(\S+)(\s+(.*\S))?\s*$/;

/** The sections and the dropped lines of a SectionConfig file, as Proxmox's parser sees them. */
export function parseSectionConfig(content: string): SectionConfigFile {
  const sections: ConfigSection[] = [];
  const ignored: IgnoredLine[] = [];
  // Perl's split(/\n/) drops trailing empty fields; a trailing empty line changes nothing here.
  const lines = content.split('\n');
  let current: { type: string; id: string; line: number; properties: SectionProperty[] } | undefined;
  lines.forEach((text, i) => {
    const line = i + 1;
    if (/^\s*#/.test(text)) return;
    if (current) {
      // parse_config's inner `while ($line = $nextline->())`: an empty line (or "0") ends the section.
      if (text === '' || text === '0') {
        sections.push(current);
        current = undefined;
        return;
      }
      const p = PROPERTY.exec(text);
      if (p) current.properties.push({ key: p[1]!, value: p[3] ?? '', line });
      else ignored.push({ line, text, section: current.id });
      return;
    }
    if (text === '' || text === '0') return;
    const h = HEADER.exec(text);
    if (h) current = { type: h[1]!, id: h[2]!, line, properties: [] };
    else ignored.push({ line, text });
  });
  if (current) sections.push(current);
  return { sections, ignored };
}
