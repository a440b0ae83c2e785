import { createBrowserRouter, Navigate } from 'react-router-dom';
import { LoginPage } from '../features/auth/pages/login-page';
import { AppLayout } from './layout/app-layout';
import { NotFoundPage } from './not-found-page';
import { ACTIVITY_STAFF_ROLES } from '../features/activities/api';
import { APPEAL_FIGURES_ROLES, APPEAL_HANDLER_ROLES } from '../features/appeals/api';
import { MEMBER_STAFF_ROLES } from '../features/members/api';
import { WORKER_STAFF_ROLES } from '../features/workers/api';
import { VOLUNTEER_STAFF_ROLES } from '../features/volunteers/api';
import { STATION_STAFF_ROLES } from '../features/stations/api';
import { USER_ADMIN_ROLES } from '../features/users/api';
import { FullPageSpin, OrgHome, RequireAuth, RequireRole } from './route-guards';

// Feature pages load on demand so the login page stays light on a phone.
export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  // Following an anonymous appeal needs no account: the filer has none that knows about it.
  {
    path: '/track',
    HydrateFallback: FullPageSpin,
    children: [
      { index: true, lazy: async () => ({ Component: (await import('../features/appeals/pages/track-page')).TrackEntryPage }) },
      { path: ':code', lazy: async () => ({ Component: (await import('../features/appeals/pages/track-page')).TrackedAppealPage }) },
    ],
  },
  // Filing anonymously needs no account either: a driver without one (or who will not log in) files here.
  { path: '/report', HydrateFallback: FullPageSpin, lazy: async () => ({ Component: (await import('../features/appeals/pages/report-page')).ReportPage }) },
  // A deletion request's outcome by its receipt: once carried out, the account that asked is closed.
  { path: '/privacy/receipt', HydrateFallback: FullPageSpin, lazy: async () => ({ Component: (await import('../features/privacy/pages/deletion-receipt-page')).DeletionReceiptPage }) },
  {
    path: '/',
    // Shown while a lazily loaded page arrives on the first visit.
    HydrateFallback: FullPageSpin,
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Navigate to="/org" replace /> },
      {
        element: <OrgHome />,
        children: [
          { path: 'org', lazy: async () => ({ Component: (await import('../features/org/pages/org-page')).OrgPage }) },
          { path: 'org/:id', lazy: async () => ({ Component: (await import('../features/org/pages/org-page')).OrgPage }) },
        ],
      },
      {
        path: 'workers',
        element: <RequireRole role={WORKER_STAFF_ROLES} />,
        children: [
          { index: true, lazy: async () => ({ Component: (await import('../features/workers/pages/workers-page')).WorkersPage }) },
          { path: ':id', lazy: async () => ({ Component: (await import('../features/workers/pages/worker-detail-page')).WorkerDetailPage }) },
        ],
      },
      {
        path: 'imports',
        element: <RequireRole role={WORKER_STAFF_ROLES} />,
        children: [
          { index: true, lazy: async () => ({ Component: (await import('../features/imports/pages/imports-page')).ImportsPage }) },
          { path: 'workers/new', lazy: async () => ({ Component: (await import('../features/imports/pages/import-wizard-page')).ImportWizardPage }) },
          { path: ':id', lazy: async () => ({ Component: (await import('../features/imports/pages/import-job-page')).ImportJobPage }) },
        ],
      },
      {
        path: 'liaison',
        element: <RequireRole role={WORKER_STAFF_ROLES} />,
        children: [{ index: true, lazy: async () => ({ Component: (await import('../features/liaison/pages/liaison-page')).LiaisonPage }) }],
      },
      {
        path: 'members',
        element: <RequireRole role={MEMBER_STAFF_ROLES} />,
        children: [
          { index: true, lazy: async () => ({ Component: (await import('../features/members/pages/members-page')).MembersPage }) },
          { path: ':id', lazy: async () => ({ Component: (await import('../features/members/pages/member-detail-page')).MemberDetailPage }) },
        ],
      },
      {
        path: 'member-transfers',
        element: <RequireRole role={MEMBER_STAFF_ROLES} />,
        children: [{ index: true, lazy: async () => ({ Component: (await import('../features/members/pages/transfers-page')).TransfersPage }) }],
      },
      {
        path: 'member-declarations',
        element: <RequireRole role={MEMBER_STAFF_ROLES} />,
        children: [{ index: true, lazy: async () => ({ Component: (await import('../features/members/pages/declarations-page')).DeclarationsPage }) }],
      },
      {
        path: 'privacy/requests',
        element: <RequireRole role={WORKER_STAFF_ROLES} />,
        children: [{ index: true, lazy: async () => ({ Component: (await import('../features/privacy/pages/deletion-requests-page')).DeletionRequestsPage }) }],
      },
      { path: 'me', lazy: async () => ({ Component: (await import('../features/workers/pages/my-page')).MyPage }) },
      { path: 'me/stations', lazy: async () => ({ Component: (await import('../features/stations/pages/nearby-page')).NearbyPage }) },
      // What a station's QR code opens; RequireAuth above sends a logged-out phone to the login page and back.
      { path: 's/:id', lazy: async () => ({ Component: (await import('../features/stations/pages/check-in-page')).CheckInPage }) },
      {
        path: 'stations',
        element: <RequireRole role={STATION_STAFF_ROLES} />,
        children: [
          { index: true, lazy: async () => ({ Component: (await import('../features/stations/pages/stations-page')).StationsPage }) },
          { path: 'new', lazy: async () => ({ Component: (await import('../features/stations/pages/station-edit-page')).StationEditPage }) },
          { path: 'map', lazy: async () => ({ Component: (await import('../features/stations/pages/station-map-page')).StationMapPage }) },
          { path: 'visits', lazy: async () => ({ Component: (await import('../features/stations/pages/station-visits-page')).StationVisitsPage }) },
          { path: ':id', lazy: async () => ({ Component: (await import('../features/stations/pages/station-edit-page')).StationEditPage }) },
          { path: ':id/qr', lazy: async () => ({ Component: (await import('../features/stations/pages/station-qr-page')).StationQrPage }) },
        ],
      },
      {
        path: 'me/appeals',
        children: [
          { index: true, lazy: async () => ({ Component: (await import('../features/appeals/pages/my-appeals-page')).MyAppealsPage }) },
          { path: 'new', lazy: async () => ({ Component: (await import('../features/appeals/pages/file-appeal-page')).FileAppealPage }) },
          { path: ':id', lazy: async () => ({ Component: (await import('../features/appeals/pages/my-appeal-page')).MyAppealPage }) },
        ],
      },
      { path: 'me/volunteering', lazy: async () => ({ Component: (await import('../features/volunteers/pages/my-volunteering-page')).MyVolunteeringPage }) },
      {
        // Teams, the queue and the ledger answer each user as the server allows (a leader need not be staff).
        path: 'volunteers',
        children: [
          { index: true, lazy: async () => ({ Component: (await import('../features/volunteers/pages/teams-page')).TeamsPage }) },
          { path: 'teams/:id', lazy: async () => ({ Component: (await import('../features/volunteers/pages/team-page')).TeamPage }) },
          { path: 'queue', lazy: async () => ({ Component: (await import('../features/volunteers/pages/queue-page')).QueuePage }) },
          { path: 'posts', lazy: async () => ({ Component: (await import('../features/volunteers/pages/posts-page')).PostsPage }) },
          { path: 'hours', lazy: async () => ({ Component: (await import('../features/volunteers/pages/hours-page')).HoursPage }) },
          {
            path: 'grid',
            element: <RequireRole role={VOLUNTEER_STAFF_ROLES} />,
            children: [{ index: true, lazy: async () => ({ Component: (await import('../features/volunteers/pages/grid-page')).GridPage }) }],
          },
        ],
      },
      {
        path: 'appeals',
        element: <RequireRole role={APPEAL_HANDLER_ROLES} />,
        children: [
          { index: true, lazy: async () => ({ Component: (await import('../features/appeals/pages/inbox-page')).InboxPage }) },
          { path: ':id', lazy: async () => ({ Component: (await import('../features/appeals/pages/appeal-page')).AppealPage }) },
        ],
      },
      {
        path: 'appeal-figures',
        element: <RequireRole role={APPEAL_FIGURES_ROLES} />,
        children: [{ index: true, lazy: async () => ({ Component: (await import('../features/appeals/pages/appeal-figures-page')).AppealFiguresPage }) }],
      },
      {
        path: 'appeal-problems',
        element: <RequireRole role={APPEAL_FIGURES_ROLES} />,
        children: [{ index: true, lazy: async () => ({ Component: (await import('../features/appeals/pages/key-problems-page')).KeyProblemsPage }) }],
      },
      {
        path: 'appeal-deadlines',
        element: <RequireRole role={APPEAL_HANDLER_ROLES} />,
        children: [{ index: true, lazy: async () => ({ Component: (await import('../features/appeals/pages/sla-policies-page')).SlaPoliciesPage }) }],
      },
      {
        path: 'activities',
        element: <RequireRole role={ACTIVITY_STAFF_ROLES} />,
        children: [
          { index: true, lazy: async () => ({ Component: (await import('../features/activities/pages/activities-page')).ActivitiesPage }) },
          { path: ':id', lazy: async () => ({ Component: (await import('../features/activities/pages/activity-page')).ActivityPage }) },
          { path: ':id/qr', lazy: async () => ({ Component: (await import('../features/activities/pages/activity-qr-page')).ActivityQrPage }) },
        ],
      },
      {
        path: 'me/activities',
        children: [
          { index: true, lazy: async () => ({ Component: (await import('../features/activities/pages/my-activities-page')).MyActivitiesPage }) },
          // What an activity's QR code at the venue opens (the server's qr.svg and check-in-link point here).
          { path: ':id/check-in', lazy: async () => ({ Component: (await import('../features/activities/pages/check-in-page')).CheckInPage }) },
        ],
      },
      {
        path: 'users',
        element: <RequireRole role={USER_ADMIN_ROLES} />,
        children: [{ index: true, lazy: async () => ({ Component: (await import('../features/users/pages/users-page')).UsersPage }) }],
      },
      {
        path: 'audit',
        element: <RequireRole role="system_admin" />,
        children: [{ index: true, lazy: async () => ({ Component: (await import('../features/audit/pages/audit-page')).AuditPage }) }],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
