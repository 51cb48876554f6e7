import { podPermissions } from '../../../shared/pod-permissions.ts';

/** What the API member's security role needs, from the one data file the test also reads. */
export function PermissionTable() {
  return (
    <details class="permissions">
      <summary>What the API member's security role needs</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">Where to click</th>
            <th scope="col">Why</th>
            <th scope="col">Needed</th>
          </tr>
        </thead>
        <tbody>
          {podPermissions.map((p) => (
            <tr key={p.id}>
              <td>{p.uiPath}</td>
              <td>{p.why}</td>
              <td>{p.required ? 'Required' : 'Optional'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
