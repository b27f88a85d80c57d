// The plant's wall clock in the header: what time it is on the shop floor, whatever the viewer's zone.
import { useEffect, useState } from 'react';
import { plantNow } from '../lib/plant-time.js';

export function PlantClock({ zone }: { zone: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    // tick on the minute boundary's seconds too: a TV across the room should not lag by a minute
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const time = plantNow(zone, now);
  return (
    <div className="plant-clock" data-testid="plant-clock" title={`Plant time (${zone})`}>
      <span className="clock-time">{time.toFormat('HH:mm')}</span>
      <span className="clock-detail">
        <span>{time.toFormat('ccc d LLL')}</span>
        <span className="clock-zone">{time.toFormat('ZZZZ')}</span>
      </span>
    </div>
  );
}
