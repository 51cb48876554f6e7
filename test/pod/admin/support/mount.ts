import { render, type VNode } from 'preact';

const mounted: HTMLElement[] = [];

/** Renders into a fresh container in the real page; `unmountAll` in afterEach. */
export function mount(vnode: VNode): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  render(vnode, container);
  mounted.push(container);
  return container;
}

export function unmountAll(): void {
  for (const container of mounted.splice(0)) {
    render(null, container);
    container.remove();
  }
}
