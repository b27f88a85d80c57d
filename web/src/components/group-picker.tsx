// Choosing one process group for a screen that shows one at a time (changeover matrix, reason tree,
// week report): the groups, the one chosen (the first until the user picks), and its select.
import { useState } from 'react';
import { listProcessGroups } from '../api/plant.js';
import { useResource } from '../hooks/use-resource.js';

export function useChosenGroup() {
  const groups = useResource(listProcessGroups, [], ['plant']);
  const [picked, setGroup] = useState('');
  const chosen = picked || groups.data?.[0]?.key || '';
  const groupName = groups.data?.find((g) => g.key === chosen)?.name ?? chosen;
  return { groups, picked, chosen, groupName, setGroup };
}

export function GroupSelect({ groups, value, onChange, testId }: {
  groups: readonly { key: string; name: string }[] | undefined;
  value: string;
  onChange: (key: string) => void;
  testId: string;
}) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      {(groups ?? []).map((g) => (
        <option key={g.key} value={g.key}>
          {g.name}
        </option>
      ))}
    </select>
  );
}
