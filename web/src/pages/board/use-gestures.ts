// The board's time gestures: pan by dragging the axis or empty lane space, zoom with the wheel, a
// trackpad or a two-finger pinch around the pointer. Listeners are registered once on the Gantt
// area and read the latest view through a ref.
import { useEffect, useRef, type RefObject } from 'react';
import { panWindow, zoomWindow, type TimeWindow } from './time-scale.js';

/** Keeps the latest value in a ref for event handlers registered once. */
export function useLatest<T>(value: T) {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}

/** Pan by dragging the axis or empty lane space, zoom by wheel, trackpad or two-finger pinch. */
export function useGestures(
  areaRef: RefObject<HTMLDivElement | null>,
  axisRef: RefObject<HTMLDivElement | null>,
  view: TimeWindow,
  onViewChange: (next: TimeWindow | ((current: TimeWindow) => TimeWindow)) => void,
) {
  const latestView = useLatest(view);
  const latestChange = useLatest(onViewChange);

  useEffect(() => {
    const area = areaRef.current;
    const axis = axisRef.current;
    if (!area || !axis) return;
    const trackBox = () => axis.getBoundingClientRect();

    const onWheel = (event: WheelEvent) => {
      const box = trackBox();
      if (event.clientX < box.left) return; // over the machine names: let the page scroll
      event.preventDefault();
      const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? box.height : 1;
      const dx = event.deltaX * unit;
      const dy = event.deltaY * unit;
      const current = latestView.current;
      const span = current.end - current.start;
      if (event.shiftKey || Math.abs(dx) > Math.abs(dy)) {
        const pixels = Math.abs(dx) > Math.abs(dy) ? dx : dy;
        latestChange.current(panWindow(current, (pixels / box.width) * span));
        return;
      }
      const anchor = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
      latestChange.current(zoomWindow(current, Math.exp(dy * 0.0018), anchor));
    };

    // pointers pressed on the axis or on empty lane space (bars stop propagation: they drag)
    const pointers = new Map<number, { x: number }>();
    let gesture: { view: TimeWindow; startX: number; pinchDistance?: number; pinchCentre?: number } | null = null;

    const begin = () => {
      const points = [...pointers.values()];
      const view0 = latestView.current;
      if (points.length >= 2) {
        const [a, b] = points;
        gesture = { view: view0, startX: (a.x + b.x) / 2, pinchDistance: Math.max(10, Math.abs(a.x - b.x)), pinchCentre: (a.x + b.x) / 2 };
      } else if (points.length === 1) {
        gesture = { view: view0, startX: points[0].x };
      } else gesture = null;
    };

    const onDown = (event: PointerEvent) => {
      if (event.button !== 0 && event.pointerType === 'mouse') return;
      const target = event.target as HTMLElement;
      const box = trackBox();
      if (event.clientX < box.left || target.closest('.bar, button, a, input, select')) return;
      pointers.set(event.pointerId, { x: event.clientX });
      area.setPointerCapture?.(event.pointerId);
      area.classList.add('gantt-panning');
      begin();
    };
    const onMove = (event: PointerEvent) => {
      if (!pointers.has(event.pointerId) || !gesture) return;
      pointers.set(event.pointerId, { x: event.clientX });
      const box = trackBox();
      const span = gesture.view.end - gesture.view.start;
      const points = [...pointers.values()];
      if (points.length >= 2 && gesture.pinchDistance && gesture.pinchCentre !== undefined) {
        const [a, b] = points;
        const distance = Math.max(10, Math.abs(a.x - b.x));
        const centre = (a.x + b.x) / 2;
        const anchor = (gesture.pinchCentre - box.left) / box.width;
        const zoomed = zoomWindow(gesture.view, gesture.pinchDistance / distance, anchor);
        const zoomedSpan = zoomed.end - zoomed.start;
        latestChange.current(panWindow(zoomed, (-(centre - gesture.pinchCentre) / box.width) * zoomedSpan));
        return;
      }
      latestChange.current(panWindow(gesture.view, (-(event.clientX - gesture.startX) / box.width) * span));
    };
    const onUp = (event: PointerEvent) => {
      if (!pointers.delete(event.pointerId)) return;
      if (pointers.size === 0) area.classList.remove('gantt-panning');
      // the remaining finger continues as a pan from where the view is now
      begin();
    };

    area.addEventListener('wheel', onWheel, { passive: false });
    area.addEventListener('pointerdown', onDown);
    area.addEventListener('pointermove', onMove);
    area.addEventListener('pointerup', onUp);
    area.addEventListener('pointercancel', onUp);
    return () => {
      area.removeEventListener('wheel', onWheel);
      area.removeEventListener('pointerdown', onDown);
      area.removeEventListener('pointermove', onMove);
      area.removeEventListener('pointerup', onUp);
      area.removeEventListener('pointercancel', onUp);
    };
  }, [areaRef, axisRef, latestView, latestChange]);
}
